/// The C kernel's math headers, compiled into the library for native kernels.
///
/// Native kernels (generated C for a fused program, compiled at run time) include the very
/// headers the tile VM is compiled from, so they compute bit for bit what the VM computes.
/// The files in `Headers/` are symbolic links to Sources/CLossKernel, which Package.swift
/// embeds in code as resources (SwiftPM's `PackageResources`): an installed binary needs no
/// source tree, and the kernel's headers are the only copy. A header they start to include
/// gets a link and a line here (`NativeKernelTests` checks every include resolves).
enum EmbeddedKernelHeaders {
  /// Header text by file name (`ops.def`, `scalar_math.h`, …), as the kernel includes them.
  static let files: [String: String] = [
    "ops.def": PackageResources.ops_def,
    "output_steps.h": PackageResources.output_steps_h,
    "scalar_math.h": PackageResources.scalar_math_h,
    "vecmath.h": PackageResources.vecmath_h,
    "vecmath_double.h": PackageResources.vecmath_double_h,
    "vecmath_float.h": PackageResources.vecmath_float_h,
    "vecmath_template.h": PackageResources.vecmath_template_h,
  ].mapValues { String(decoding: $0, as: UTF8.self) }
}
