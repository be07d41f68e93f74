/**
 * losslang_plugin.h — the stable C ABI for LossLang native plugins (version 1).
 *
 * A plugin is a shared library exporting two symbols:
 *
 *     int32_t losslang_plugin_abi_version(void);           // returns LOSSLANG_PLUGIN_ABI_VERSION
 *     int32_t losslang_plugin_init(const ll_host *host);    // registers ops; 0 on success
 *
 * `losslang_plugin_init` calls `host->register_op(host->context, &op)` once per op. An op
 * receives its tensor arguments as float64 arrays in C order (the host converts), computes
 * its output shape (`shape`), fills the output (`forward`), and optionally gives the
 * vector-Jacobian product for one input at a time (`vjp`; NULL means not differentiable).
 * Every callback returns 0 on success, or nonzero after writing a message of at most
 * `error_size` bytes (NUL-terminated) into `error`. Callbacks must not keep pointers to
 * the arrays after returning. All strings in `ll_op` must stay valid while the process runs.
 */
#ifndef LOSSLANG_PLUGIN_H
#define LOSSLANG_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes. */
#define LOSSLANG_PLUGIN_ABI_VERSION 1

/** The most axes an array may have. */
#define LOSSLANG_PLUGIN_MAX_DIMS 16

/** A dense float64 array in C order. */
typedef struct ll_array {
  double *data;          /**< `count` elements (read-only for inputs). */
  const int64_t *shape;  /**< `ndim` sizes. */
  int32_t ndim;          /**< Number of axes (0 for a scalar). */
  int64_t count;         /**< Number of elements (the product of `shape`). */
} ll_array;

/** Computes the output shape from the inputs' shapes (and values, if needed). */
typedef int32_t (*ll_shape_fn)(void *context, int32_t n_inputs, const ll_array *inputs,
                               int64_t *out_shape, int32_t *out_ndim,
                               char *error, int32_t error_size);

/** Fills `output` (allocated by the host with the shape `ll_shape_fn` gave). */
typedef int32_t (*ll_forward_fn)(void *context, int32_t n_inputs, const ll_array *inputs,
                                 ll_array *output, char *error, int32_t error_size);

/** Fills `gradient` (shaped like input `input_index`) with cotangentᵀ · ∂output/∂input. */
typedef int32_t (*ll_vjp_fn)(void *context, int32_t n_inputs, const ll_array *inputs,
                             const ll_array *output, const ll_array *cotangent,
                             int32_t input_index, ll_array *gradient,
                             char *error, int32_t error_size);

/** One native op: a LossLang function taking `n_inputs` tensors. */
typedef struct ll_op {
  const char *name;        /**< The LossLang name; must not clash with an existing function. */
  const char *parameters;  /**< Parameter names separated by commas, e.g. "x, axis_weights". */
  const char *doc;         /**< Documentation shown by help(name): first line is the summary. */
  const char *family;      /**< A family for listings, e.g. "activation" or "loss". */
  int32_t n_inputs;        /**< Number of tensor parameters. */
  ll_shape_fn shape;
  ll_forward_fn forward;
  ll_vjp_fn vjp;           /**< NULL if the op has no gradient. */
  void *context;           /**< Passed back to every callback. */
} ll_op;

/** What the host gives a plugin's init function. */
typedef struct ll_host {
  int32_t abi_version;     /**< The host's LOSSLANG_PLUGIN_ABI_VERSION. */
  void *context;           /**< Pass to register_op. */
  /** Registers an op; returns 0, or nonzero (bad description or name clash). */
  int32_t (*register_op)(void *context, const ll_op *op);
} ll_host;

#ifdef __cplusplus
}
#endif

#endif /* LOSSLANG_PLUGIN_H */
