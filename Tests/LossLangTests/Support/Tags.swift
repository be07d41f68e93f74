import Testing

extension Tag {
  /// Needs native kernels or a C compiler at run time (`clang`, `cc`): compiles C code.
  @Tag static var native: Self
  /// Takes seconds rather than milliseconds (large products, many generated cases, builds).
  @Tag static var slow: Self
  /// Starts another program (the `losslang` executable, `swift`, `cc`) and waits for it.
  @Tag static var spawnsProcess: Self
}
