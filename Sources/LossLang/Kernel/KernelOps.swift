import CLossKernel

/// An elementwise unary operation of the C tile VM.
enum UnaryOp: CaseIterable {
  case neg, exp, log, log1p, expm1, sqrt, abs, sign, sin, cos, tanh, sigmoid, logsigmoid, softplus
  case floor, ceil, round, reciprocal

  /// The VM opcode (ops.def names it after this case).
  var opcode: lk_opcode {
    switch self {
    case .neg: LK_OP_NEG
    case .exp: LK_OP_EXP
    case .log: LK_OP_LOG
    case .log1p: LK_OP_LOG1P
    case .expm1: LK_OP_EXPM1
    case .sqrt: LK_OP_SQRT
    case .abs: LK_OP_ABS
    case .sign: LK_OP_SIGN
    case .sin: LK_OP_SIN
    case .cos: LK_OP_COS
    case .tanh: LK_OP_TANH
    case .sigmoid: LK_OP_SIGMOID
    case .logsigmoid: LK_OP_LOGSIGMOID
    case .softplus: LK_OP_SOFTPLUS
    case .floor: LK_OP_FLOOR
    case .ceil: LK_OP_CEIL
    case .round: LK_OP_ROUND
    case .reciprocal: LK_OP_RECIPROCAL
    }
  }
}

/// An elementwise binary operation of the C tile VM; comparisons give 1 or 0.
enum BinaryOp: CaseIterable {
  case add, sub, mul, div, pow, maximum, minimum
  case less, lessEqual, greater, greaterEqual, equal, notEqual

  /// The VM opcode (ops.def names it after this case).
  var opcode: lk_opcode {
    switch self {
    case .add: LK_OP_ADD
    case .sub: LK_OP_SUB
    case .mul: LK_OP_MUL
    case .div: LK_OP_DIV
    case .pow: LK_OP_POW
    case .maximum: LK_OP_MAXIMUM
    case .minimum: LK_OP_MINIMUM
    case .less: LK_OP_LESS
    case .lessEqual: LK_OP_LESS_EQUAL
    case .greater: LK_OP_GREATER
    case .greaterEqual: LK_OP_GREATER_EQUAL
    case .equal: LK_OP_EQUAL
    case .notEqual: LK_OP_NOT_EQUAL
    }
  }
}

/// A reduction over axes, accumulated in double by the kernel.
enum ReduceOp {
  case sum, prod, max, min

  /// The kernel's lk_reduce_op code.
  var code: Int32 {
    switch self {
    case .sum: Int32(LK_RSUM.rawValue)
    case .prod: Int32(LK_RPROD.rawValue)
    case .max: Int32(LK_RMAX.rawValue)
    case .min: Int32(LK_RMIN.rawValue)
    }
  }
}
