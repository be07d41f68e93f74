import Foundation

@testable import LossLang

/// The compiler the `losslang` command would give native kernels here (`LOSSLANG_CC`, else
/// the first `clang` on `PATH`); nil when there is none (or the environment is invalid).
let clangOnPath = (try? InterpreterOptions().applyingEnvironment(ProcessInfo.processInfo.environment))?.kernelCompiler
