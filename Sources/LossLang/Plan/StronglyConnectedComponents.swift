/// The strongly connected components of a directed graph (Tarjan's algorithm, without
/// recursion): linear in its vertices and edges.
struct StronglyConnectedComponents {
  /// The component of each vertex, numbered from 0.
  let of: [Int]
  /// The number of components.
  let count: Int
  /// Vertices and edges examined.
  let visits: Int

  /// The components of the graph whose vertex `v` has an edge to each vertex of `edges[v]`.
  init(_ edges: [[Int]]) {
    let n = edges.count
    var index = [Int](repeating: -1, count: n)  // discovery order, -1 before the visit
    var lowest = [Int](repeating: 0, count: n)  // lowest discovery index reachable on the stack
    var onStack = [Bool](repeating: false, count: n)
    var stack: [Int] = []
    var component = [Int](repeating: -1, count: n)
    var count = 0
    var next = 0
    var visits = 0
    for root in 0..<n where index[root] < 0 {
      var path: [(vertex: Int, edge: Int)] = [(root, 0)]
      index[root] = next
      lowest[root] = next
      next += 1
      stack.append(root)
      onStack[root] = true
      while let (v, e) = path.last {
        visits += 1
        if e < edges[v].count {
          path[path.count - 1].edge = e + 1
          let w = edges[v][e]
          if index[w] < 0 {
            index[w] = next
            lowest[w] = next
            next += 1
            stack.append(w)
            onStack[w] = true
            path.append((w, 0))
          } else if onStack[w] {
            lowest[v] = min(lowest[v], index[w])
          }
          continue
        }
        path.removeLast()
        if let parent = path.last?.vertex { lowest[parent] = min(lowest[parent], lowest[v]) }
        guard lowest[v] == index[v] else { continue }
        while let w = stack.popLast() {
          onStack[w] = false
          component[w] = count
          if w == v { break }
        }
        count += 1
      }
    }
    self.of = component
    self.count = count
    self.visits = visits
  }
}
