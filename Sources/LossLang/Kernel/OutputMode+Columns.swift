import CLossKernel

/// Column outputs: reductions down the leading axes of a kernel's space.
extension lk_output_mode {
  /// Whether this mode reduces columns (`LK_COLSUM`, `LK_COLMAX`, `LK_COLSUMEXP`): one value per
  /// position within a row of `rowLength` elements, combined over all rows.
  var reducesColumns: Bool { self == LK_COLSUM || self == LK_COLMAX || self == LK_COLSUMEXP }
}
