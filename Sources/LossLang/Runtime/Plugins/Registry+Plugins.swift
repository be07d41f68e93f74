import Foundation

/// The registration API plugins use: native ops (with a gradient) and plain functions.
extension Registry {
  /// Registers a native tensor operation: `forward` computes the output from the tensor
  /// arguments; `vjp`, if given, the gradient with respect to argument `index` from the
  /// arguments, the output and the output's cotangent, so gradients flow through the op.
  ///
  /// The op runs when called (its inputs are computed then); its gradient is recorded in
  /// the graph like any other. Throws if `name` is already taken.
  public func registerOperation(
    _ name: String, parameters: [String], doc: String, family: String,
    forward: @escaping @Sendable ([Tensor]) throws -> Tensor,
    vjp: (@Sendable (_ inputs: [Tensor], _ output: Tensor, _ cotangent: Tensor, _ index: Int) throws -> Tensor)? = nil
  ) throws {
    try checkAvailable(name)
    let op = PluginOperation(name: name, computeForward: forward, computeVJP: vjp)
    let specs = parameters.map { ParameterSpec(name: $0, defaultValue: .required) }
    let function = Function(name: name, parameters: specs, body: .builtin({ args in
      let nodes = try args.values.indices.map { try args.tensor($0) }
      let values = try nodes.map { try args.evaluator.materialize($0) }
      let output: Tensor
      do { output = try forward(values) } catch let e as TensorError {
        throw LossLangError(.runtime, "\(name): \(e.message)")
      }
      let node = try args.tracer.custom(op, nodes, shape: output.shape, dtype: output.dtype)
      node.value = output
      return .tensor(node)
    }), doc: doc)
    register(function, category: family, origin: .plugin)
  }

  /// Registers a function of LossLang values (computed tensors, numbers, strings, …);
  /// it is not differentiable. Throws if `name` is already taken.
  public func registerFunction(
    _ name: String, parameters: [String], doc: String, family: String,
    body: @escaping ([Value]) throws -> Value
  ) throws {
    try checkAvailable(name)
    let specs = parameters.map { ParameterSpec(name: $0, defaultValue: .required) }
    let function = Function(name: name, parameters: specs, body: .builtin({ args in
      let values = try args.values.map(args.evaluator.export)
      return args.evaluator.runtimeValue(try body(values))
    }), doc: doc)
    register(function, category: family, origin: .plugin)
  }

  /// Throws unless `name` is a valid identifier not yet registered.
  private func checkAvailable(_ name: String) throws {
    let valid = name.first.map { $0.isLetter || $0 == "_" } == true && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    guard valid else { throw LossLangError(.runtime, "plugin function name '\(name)' is not a valid identifier") }
    guard lookup(name) == nil else {
      throw LossLangError(.runtime, "plugin function '\(name)' clashes with an existing function of that name")
    }
  }
}

/// A Swift plugin: adds functions and native ops to an interpreter's registry.
///
/// ```swift
/// struct Swish: LossLangPlugin {
///   func register(into registry: inout Registry) throws {
///     try registry.registerOperation("swish", parameters: ["x"], doc: "x·sigmoid(x)", family: "activation",
///       forward: { x in … }, vjp: { inputs, output, g, _ in … })
///   }
/// }
/// try interp.install(Swish())
/// ```
public protocol LossLangPlugin {
  /// Registers the plugin's functions.
  func register(into registry: inout Registry) throws
}

extension Interpreter {
  /// Installs a Swift plugin's functions into this interpreter.
  public func install(_ plugin: any LossLangPlugin) throws {
    var registry = evaluator.registry
    try plugin.register(into: &registry)
  }

  /// Loads a native plugin (a shared library built against `losslang_plugin.h`).
  public func loadPlugin(at url: URL) throws {
    try NativePlugin.load(path: url.path, into: evaluator.registry)
  }
}
