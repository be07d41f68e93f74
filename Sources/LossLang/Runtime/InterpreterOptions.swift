import CLossKernel
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
  /// Directories searched by `import` after the importing file's directory, in order (the
  /// CLI puts `LOSSLANG_PATH`'s first; see ``applyingEnvironment(_:)``).
  public var searchPaths: [String] = []
  /// Whether scripts may read and write files (`load`, `save`, `load_csv`, file imports,
  /// `load_plugin`); default true.
  public var allowFileIO = true
  /// Resource limits for running untrusted code.
  public var limits = Limits()
  /// Whether elementwise chains run as fused kernels (default true; `false` runs one
  /// kernel per primitive, the reference path).
  public var fusion = true
  /// Whether fused kernels over ``nativeKernelMinimumElements`` or more may run as native
  /// code that the toolchain's clang compiles at run time, cached in
  /// ``kernelCacheDirectory`` (default true; the results are the same bits either way).
  /// `false` keeps the tile VM and never starts the compiler or writes the cache (the CLI's
  /// `LOSSLANG_NATIVE=0`). With `allowFileIO` false, native kernels are off too (the
  /// compiler writes files) unless ``nativeKernelsWithoutFileIO`` opts in.
  public var nativeKernels = true
  /// Where compiled native kernels are kept between processes (nil, the default: nowhere;
  /// each process compiles its kernels in a private temporary directory). The CLI uses
  /// `LOSSLANG_KERNEL_CACHE`, else `$XDG_CACHE_HOME/losslang/kernels`, else
  /// `~/.cache/losslang/kernels`. Only a directory of this user's that no one else can
  /// write is used.
  public var kernelCacheDirectory: URL?
  /// The C compiler of native kernels (nil, the default: none, every kernel runs on the tile
  /// VM; the CLI's `LOSSLANG_CC`, else the first `clang` on its `PATH`: see
  /// ``applyingEnvironment(_:)``).
  public var kernelCompiler: String?
  /// Kernels over fewer elements stay on the tile VM (default 256 Ki, where the VM splits
  /// kernels over the worker pool; 0 compiles every kernel, the CLI's `LOSSLANG_NATIVE=all`).
  public var nativeKernelMinimumElements = NativeKernels.defaultMinimumElements
  /// Whether a run waits for the native kernels it needs to be compiled (default false: a
  /// kernel not in ``kernelCacheDirectory`` is compiled in the background while the tile VM
  /// runs it, so the first runs cost no more than the VM's; true compiles it before the run
  /// that needs it goes on, stopping at the evaluation's time limit; the CLI's
  /// `LOSSLANG_NATIVE=wait`). `timeit` and `:time` wait for the compiles their warm-up started either way.
  public var waitForNativeKernels = false
  /// Whether native kernels stay on when `allowFileIO` is false: the host accepts that the
  /// interpreter starts the compiler and writes the kernel cache for it (default false).
  public var nativeKernelsWithoutFileIO = false
  /// Whether large matrix products (2^22 multiply-adds or more) run on the system BLAS when
  /// one is installed: OpenBLAS's `libopenblas.so.0`, else a `libcblas.so.3` / `libblas.so.3`
  /// that is OpenBLAS, BLIS or MKL, loaded at run time (the CLI's `LOSSLANG_BLAS=1`). Default
  /// false: LossLang's own GEMM computes every product; it is as fast as OpenBLAS on x86-64
  /// (docs/performance.md, "Matrix products"). Results agree within float rounding either way.
  public var systemBLAS = false
  /// Whether every primitive's output is checked for NaN and ±Inf: the first non-finite
  /// value stops evaluation with an error at the expression (or, for a gradient, the
  /// forward expression) that produced it, showing the inputs there. Slower; for debugging.
  public var checkFinite = false
  /// Whether the run is linted (`losslang --lint`): each numerical hazard seen while running
  /// (`log` of 0, a division by 0, `==` between floats, an infinite `sqrt`/`pow` gradient, a
  /// loop whose history grows, a mean over no elements, a probability outside [0, 1] given
  /// to a cross-entropy; docs/lint.md) is reported as a warning through
  /// ``Interpreter/onWarning``, once per source location, with the values that triggered it;
  /// each stable rewrite applied is reported there as a note (docs/lint.md, "Rewrites").
  /// Values are then computed one primitive at a time, as with ``checkFinite``: slower.
  /// Compiled losses and `fit`'s steps run as planned, unlinted.
  public var lint = false
  /// Whether the stable rewrites apply (default true): textbook formulas that overflow are
  /// computed by their stable equivalents as they are traced, `log(sigmoid(x))` as
  /// `logsigmoid(x)` and the others of docs/numerics.md; `false` (the CLI's `--no-rewrite`)
  /// computes every formula as written. ``Interpreter/appliedRewrites`` lists those applied.
  public var rewrites = true
  /// A directory into which the C source of every native kernel this interpreter generates
  /// is written, as `DIGEST.c` (the `losslang` command sets it from `LOSSLANG_DUMP_KERNELS`);
  /// nil writes nothing. For reading what the planner fused; compile a file with
  /// `clang -c -I Sources/CLossKernel -I Sources/CLossKernel/include`. A kernel this
  /// process already compiled for another interpreter's identical plan is not written again.
  public var kernelDumpDirectory: URL?
  /// Whether what the interpreter writes through ``Interpreter/output`` reaches a terminal
  /// (default false). The host knows: the `losslang` command sets it when its standard output
  /// is a terminal (`isatty`), which it is in the REPL. On a terminal `fit` draws a progress
  /// bar redrawn in place; otherwise it writes plain lines only when asked (`every=`).
  public var outputIsTerminal = false
  /// The width in character columns of the terminal ``Interpreter/output`` reaches, or nil
  /// when unknown or not a terminal (default nil). `show()` draws a figure this wide unless
  /// `figure(width=)` says otherwise, 80 columns when nil. The `losslang` command sets it
  /// when its standard output is a terminal, from the terminal's size (else `COLUMNS`).
  public var outputColumns: Int?

  /// The most threads a large kernel (an elementwise or row pass, a transpose, a matrix
  /// product) uses, the calling thread included: nil (the default) uses one per core
  /// present; 1 runs everything on the evaluating thread. More than the cores is allowed,
  /// up to ``maxThreads``; the CLI's `LOSSLANG_THREADS`. The threads come from a pool shared
  /// by the process, started when first needed; results are the same bits whatever the
  /// count (docs/performance.md, "Threads"). ``Interpreter/init(options:)`` rejects a value
  /// outside 1 ... ``maxThreads``.
  public var threads: Int?

  /// The largest ``threads`` setting.
  public static let maxThreads = Int(LK_MAX_THREADS)

  /// The plans built so far, by graph structure (nil: the process-wide cache); a test
  /// injects its own.
  var planCache: PlanCache?

  /// Throws a usage error if a setting is out of its range (``threads``).
  func validate() throws {
    if let threads, !(1...Self.maxThreads).contains(threads) {
      throw LossLangError(.usage, "Options.threads must be from 1 to \(Self.maxThreads), got \(threads)")
    }
  }

  /// Whether large kernels run as native code under these options.
  var runsNativeKernels: Bool { nativeKernels && kernelCompiler != nil && (allowFileIO || nativeKernelsWithoutFileIO) }

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

extension Interpreter {
  /// How an interpreter is set up (see ``InterpreterOptions``).
  public typealias Options = InterpreterOptions
}
