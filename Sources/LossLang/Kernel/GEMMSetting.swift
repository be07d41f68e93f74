import CLossKernel
import Synchronization

/// Which GEMM the matrix products of an evaluation use, and how many of them the system BLAS
/// computed.
///
/// An ``ExecutionContext`` owns one and installs it on the thread that runs its evaluations
/// (``ExecutionContext/charging(_:)``), so that `Tensor.matmul`, which has no context at hand,
/// reads it there; without one installed, products use LossLang's own GEMM.
final class GEMMSetting: Sendable {
  /// Whether large products may run on the system BLAS (`lk_matmul_with`'s `LK_GEMM_AUTO`);
  /// false keeps the kernel's own GEMM for every product.
  let systemBLAS: Bool
  private let blasProducts = Atomic<Int>(0)

  init(systemBLAS: Bool) { self.systemBLAS = systemBLAS }

  /// The `lk_gemm_path` products take under this setting.
  var path: lk_gemm_path { systemBLAS ? LK_GEMM_AUTO : LK_GEMM_OWN }

  /// How many products (each batch of one `matmul`) the system BLAS has computed so far.
  var systemProducts: Int { blasProducts.load(ordering: .relaxed) }

  /// Counts one product computed by the system BLAS.
  func recordSystemProduct() { blasProducts.add(1, ordering: .relaxed) }

  /// The file name of the system BLAS products may use (`libopenblas.so.0`, ...), or nil when
  /// none is installed (see `lk_blas_library`).
  static var systemLibrary: String? { lk_blas_library().map { String(cString: $0) } }

  /// The setting of the evaluation running on each thread.
  private static let slot = ThreadSlot<GEMMSetting>()

  /// The setting of the evaluation running on this thread, if any.
  static var current: GEMMSetting? { slot.current }

  /// Makes `setting` the current thread's setting.
  static func install(_ setting: GEMMSetting?) { slot.install(setting) }
}
