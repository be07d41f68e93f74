import CLossKernel

extension DType {
  /// The kernel's lk_dtype code.
  var kernelCode: Int32 { Int32(storage == .float32 ? LK_F32.rawValue : LK_F64.rawValue) }
}

/// Turning kernel status codes into Swift errors.
enum KernelStatus {
  /// Throws a TensorError naming `operation` unless the kernel reported LK_OK.
  static func check(_ status: lk_status, _ operation: String) throws {
    switch status {
    case LK_OK: return
    case LK_ENOMEM: throw TensorError("\(operation): out of memory")
    default: throw TensorError("\(operation): internal error: the kernel rejected its arguments")
    }
  }
}
