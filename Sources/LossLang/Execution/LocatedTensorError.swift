/// A tensor-layer error raised while computing a node, with the node's source span.
struct LocatedTensorError: Error {
  let error: TensorError
  let span: SourceSpan?
}
