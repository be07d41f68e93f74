import Foundation

/// How an ``Interpreter`` is set up: prelude, module search paths, file access and limits.
///
/// ```swift
/// var options = Interpreter.Options()
/// options.allowFileIO = false
/// options.limits.maxTensorElements = 1_000_000
/// let sandboxed = try Interpreter(options: options)
/// ```
public struct InterpreterOptions: Sendable {
  /// Whether the standard prelude of losses is loaded (default true).
  public var loadPrelude = true
  /// Directories searched by `import` after the importing file's directory and
  /// `LOSSLANG_PATH`.
  public var searchPaths: [String] = []
  /// Whether scripts may read and write files (`load`, `save`, `load_csv`, file imports,
  /// `load_plugin`); default true.
  public var allowFileIO = true
  /// Resource limits for running untrusted code.
  public var limits = Limits()
  /// Whether elementwise chains run as fused kernels (default true; `false` runs one
  /// kernel per primitive, the reference path).
  public var fusion = true
  /// Whether fused kernels over 256 Ki elements or more may run as native code that the
  /// toolchain's clang compiles at run time, cached under `~/.cache/losslang/kernels`
  /// (default true; the results are the same bits either way). `false` keeps the tile VM and
  /// never starts the compiler or writes the cache, as `LOSSLANG_NATIVE=0` does for the
  /// whole process. With `allowFileIO` false, native kernels are off too (the compiler
  /// writes the cache) unless ``nativeKernelsWithoutFileIO`` opts in.
  public var nativeKernels = true
  /// Whether native kernels stay on when `allowFileIO` is false: the host accepts that the
  /// interpreter starts the compiler and writes the kernel cache for it (default false).
  public var nativeKernelsWithoutFileIO = false
  /// Whether every primitive's output is checked for NaN and ±Inf: the first non-finite
  /// value stops evaluation with an error at the expression (or, for a gradient, the
  /// forward expression) that produced it, showing the inputs there. Slower; for debugging.
  public var checkFinite = false
  /// A directory into which the C source of every native kernel this interpreter generates
  /// is written, as `DIGEST.c` (the `losslang` command sets it from `LOSSLANG_DUMP_KERNELS`);
  /// nil writes nothing. For reading what the planner fused; compile a file with
  /// `clang -c -I Sources/CLossKernel -I Sources/CLossKernel/include`. A kernel this
  /// process already compiled for another interpreter's identical plan is not written again.
  public var kernelDumpDirectory: URL?

  /// Whether large kernels run as native code under these options.
  var runsNativeKernels: Bool { nativeKernels && (allowFileIO || nativeKernelsWithoutFileIO) }

  /// The default options: prelude on, file access on, generous limits.
  public init() {}

  /// Options for untrusted code: no file or plugin access, no compiler started (no native
  /// kernels), and limits with safe defaults (10^8 elements per tensor, 2 GiB held at
  /// once, call depth 1 000, 10 s).
  public static var sandboxed: InterpreterOptions {
    var options = InterpreterOptions()
    options.allowFileIO = false
    options.nativeKernels = false
    options.limits.maxTensorElements = 100_000_000
    options.limits.maxTotalBytes = 2 << 30
    options.limits.maxCallDepth = 1_000
    options.limits.maxSeconds = 10
    return options
  }
}

/// Resource limits; exceeding one throws a ``LossLangError`` of kind `.limitExceeded`
/// and leaves the interpreter usable.
public struct Limits: Sendable {
  /// The most elements any one tensor may have (nil: only the machine's memory limits it).
  public var maxTensorElements: Int?
  /// The most bytes of tensor storage and computation graph the interpreter may hold at
  /// once, across all its evaluations: memory is charged when a tensor or graph node is
  /// created and returned when it is freed, so results the host keeps count until it
  /// releases them (nil: no limit).
  public var maxTotalBytes: Int?
  /// The deepest nesting of LossLang function calls (default 400). Whatever it is set to,
  /// calls nest at most 10 000 deep, what the evaluation stack holds.
  public var maxCallDepth = 400
  /// The most expression evaluations one evaluation may perform (nil: no limit).
  public var maxSteps: Int?
  /// The most wall-clock seconds one evaluation may take (nil: no limit).
  public var maxSeconds: Double?

  /// No limits beyond the default call depth.
  public init() {}
}

extension Interpreter {
  /// How an interpreter is set up (see ``InterpreterOptions``).
  public typealias Options = InterpreterOptions
}
