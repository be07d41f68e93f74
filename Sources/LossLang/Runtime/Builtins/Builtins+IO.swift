/// File builtins: `load save load_csv save_csv load_plugin`. Relative paths are relative to the working directory.
extension Builtins {
  static func registerIO(in r: Registry) {
    r.builtin("load", ["path"], category: "io",
              doc: "load(path): reads a NumPy .npy file (float32/float64/int32/int64/bool; ints and bools become float32).") { a in
      try readTensor(a, "load") { path in
        do { return try NpyFormat.read(path: path) } catch let e as TensorError where e.kind == .invalid {
          throw TensorError("cannot load '\(path)': \(e.message)", kind: .io)
        }
      }
    }
    r.builtin("save", ["path", "x"], category: "io", doc: "save(path, x): writes x to a NumPy .npy file (C order, <f4 or <f8).") { a in
      try a.evaluator.checkFileAccess("save")
      try NpyFormat.write(a.evaluator.materialize(a.tensor(1)), path: a.string(0))
      return .none
    }
    r.builtin("load_csv", ["path"], category: "io",
              doc: "load_csv(path): reads a numeric CSV file (RFC 4180: BOM, CRLF/CR/LF, quoted cells) into a 2-D float32 tensor; row 1 is a header, skipped, only when none of its cells is a number; other cells must be decimal numbers.") { a in
      try readTensor(a, "load_csv", CSVReader.read(path:))
    }
    r.builtin("save_csv", ["path", "x", "header=none"], category: "io",
              doc: "save_csv(path, x, header=none): writes a 0-, 1- or 2-D tensor as CSV (a 1-D tensor is one column), each value in the shortest form that reads back exactly; header: a list of column names, written as the first line.") { a in
      try a.evaluator.checkFileAccess("save_csv")
      let header = try a.isNone(2) ? nil : a.list(2).map { v -> String in
        guard case .string(let s) = v else { throw a.error(2, "must be a list of strings, got a list holding \(v.typeName)") }
        return s
      }
      try CSVWriter.write(a.evaluator.materialize(a.tensor(1)), header: header, path: a.string(0))
      return .none
    }
    r.builtin("load_plugin", ["path"], category: "io",
              doc: "load_plugin(path): loads a native plugin (a shared library built against losslang_plugin.h) and registers its ops.") { a in
      let path = try a.string(0)
      try a.evaluator.checkFileAccess("load_plugin")
      try NativePlugin.load(path: path, into: a.evaluator.registry)
      return .none
    }
  }

  /// Reads a tensor from the file named by argument 0 with `read`, after checking file
  /// access; the size limit applies, and any failure is an I/O error.
  private static func readTensor(
    _ a: Arguments, _ name: String, _ read: (String) throws -> Tensor
  ) throws -> RuntimeValue {
    let path = try a.string(0)
    try a.evaluator.checkFileAccess(name)
    let t: Tensor
    do { t = try read(path) } catch let e as TensorError where e.kind != .limit { throw TensorError(e.message, kind: .io) }
    try a.tracer.checkSize(t.shape, t.dtype)
    return .tensor(a.tracer.constant(t))
  }
}
