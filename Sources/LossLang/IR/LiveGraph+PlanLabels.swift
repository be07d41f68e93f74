extension LiveGraph {
  /// Labels for the text of a plan built from this walk: each leaf by its name in `names`
  /// (else its walk position) with its dtype and shape, each primitive by its op.
  func planLabels(names: [ObjectIdentifier: String] = [:]) -> Plan.Labels {
    Plan.Labels(
      leaf: { position in
        guard position < order.count else { return nil }
        let node = order[position]
        return (names[ObjectIdentifier(node)] ?? "input \(position)") + " " + Plan.typeText(node.dtype, node.shape)
      },
      primitive: { source in
        guard source < order.count else { return nil }
        let op = order[source].op
        return (op.name, String(GraphPrinter.opText(op).dropFirst(op.name.count)))
      })
  }
}
