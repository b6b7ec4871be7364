"""What minigan does not provide of PyTorch's API, and what to use instead: the one table behind every
"minigan has no X" error.

``TABLE`` maps each PyTorch namespace to groups of (advice, names): every public name of that namespace
that minigan does not implement is listed once, under the advice its ``AttributeError`` gives
(``{name}`` in an advice is the name asked for, ``{base}`` the name without its trailing ``_``).  Three
rules cover whole families without listing them: an in-place form ``foo_`` whose ``foo`` minigan has (or whose
``Tensor.foo_``), a ``Tensor.foo`` that minigan has as the function ``minigan.foo(x)``, and a ``torch.autograd.foo``
that minigan has as ``minigan.foo`` (no_grad, gradcheck, ...).

``DIFFERENT`` lists the names minigan implements on purpose differently from PyTorch, with how.

The module-level ``__getattr__`` of ``minigan``, ``minigan.nn``, ``minigan.nn.functional``,
``minigan.optim``, ``minigan.optim.lr_scheduler`` and ``minigan.utils.data`` (and ``Tensor.__getattr__``)
raise ``attribute_error(...)``: for a name in the table, one line saying what to use instead; for any
other name, Python's usual error (with its "Did you mean" for a typo).  ``docs/make_coverage.py``
writes docs/pytorch.md's coverage table from this module, and a test checks that every public name of
the installed PyTorch is implemented, different on purpose, or here.
"""

from __future__ import annotations

# the namespace of PyTorch -> how minigan spells the same place
PLACES = {
    "torch": "minigan", "torch.Tensor": "minigan.Tensor", "torch.nn": "minigan.nn",
    "torch.nn.functional": "minigan.nn.functional", "torch.optim": "minigan.optim",
    "torch.optim.lr_scheduler": "minigan.optim.lr_scheduler", "torch.autograd": "minigan.autograd",
    "torch.utils.data": "minigan.utils.data", "torch.nn.init": "minigan.nn.init", "torch.nn.utils": "minigan.nn.utils",
    "torch.linalg": "minigan.linalg",
}

INPLACE = ("minigan has no in-place {base}_: write x = {place}{base}(...) instead (under minigan.no_grad() "
           "when x is a leaf that requires grad)")
AS_FUNCTION = "minigan's Tensor has no method .{name}: call the function minigan.{name}(x, ...)"
AT_TOP = "minigan has it at the top level: use minigan.{name}"

TABLE = {
    "torch": [
        ("PyTorch's compilers and their types (TorchScript, torch.compile, fx, export, symbolic shapes) "
         'are out of scope: minigan runs eagerly, in plain Python and NumPy',
         """
        AVG AggregationType AliasDb AnyType Argument ArgumentSpec AwaitType Block BoolType CallStack
        Capsule ClassType Code CompilationUnit CompleteArgumentSpec ComplexType ConcreteModuleType
        ConcreteModuleTypeBuilder DeepCopyMemoTable DeviceObjType DictType DisableTorchFunction
        DisableTorchFunctionSubclass DispatchKey DispatchKeySet EnumType ErrorReport
        ExcludeDispatchKeyGuard ExecutionPlan FileCheck FloatType FunctionSchema FutureType Gradient
        Graph GraphExecutorState IODescriptor InferredType IntType InterfaceType JITException ListType
        LiteScriptModule Node NoneType NumberType OperatorInfo OptionalType PyObjectType RRefType SUM
        ScriptClass ScriptClassFunction ScriptDict ScriptDictIterator ScriptDictKeyIterator
        ScriptFunction ScriptList ScriptListIterator ScriptMethod ScriptModule ScriptModuleSerializer
        ScriptObject ScriptObjectProperty StaticModule StreamObjType StringType SymBool SymBoolType
        SymFloat SymInt SymIntType Tag TensorType TracingState TupleType Type UnionType Use Value
        compile compiler cond contrib export func fx hash_tensor import_ir_module
        import_ir_module_from_buffer jit library merge_type_from_type_comment nativert overrides
        parse_ir parse_schema parse_type_comment sym_constrain_range sym_constrain_range_for_size
        sym_float sym_fresh_size sym_int sym_ite sym_max sym_min sym_not sym_sqrt sym_sum
        unify_type_list vmap
         """),
        ("minigan raises NumPy's/CuPy's own errors (MemoryError, cupy.cuda.memory.OutOfMemoryError): catch"
         ' those',
         """
        AcceleratorError FatalError OutOfMemoryError
         """),
        ("profiling tools are not provided: use Python's cProfile, or python -m minigan.bench for "
         "minigan's own benchmarks",
         """
        BenchmarkConfig BenchmarkExecutionStats ThroughputBenchmark monitor profiler
         """),
        ('strides, streams and storage classes are not exposed: a minigan tensor is a NumPy/CuPy array (.array, '
         '.detach().numpy(), minigan.from_numpy); x.storage() and x.untyped_storage() show the memory under it',
         """
        BoolStorage ByteStorage CharStorage DeserializationStorageContext DoubleStorage Event
        FloatStorage Future IntStorage LongStorage PyTorchFileReader PyTorchFileWriter
        SerializationStorageContext ShortStorage Stream TypedStorage UntypedStorage as_strided
        as_strided_ as_strided_copy as_strided_scatter empty_permuted empty_strided fork from_file
        frombuffer futures is_storage layout memory_format wait
         """),
        ('minigan does not provide torch.{name}: it covers the part of PyTorch a course on GANs and '
         'adversarial attacks uses (see docs/pytorch.md for what there is)',
         """
        BufferDict CharTensor LockingLogger ModuleDict NoopLogger ParameterDict ShortTensor
        adjoint alpha_dropout bit conv3d conv_transpose3d
        feature_alpha_dropout fill get_device has_lapack has_mkl
        has_openmp has_spectral is_inference is_signed is_vulkan_available logspace resize_as_
        return_types split_with_sizes types unsafe_chunk unsafe_split unsafe_split_with_sizes
         """),
        ('not provided: minigan seeds with minigan.manual_seed and minigan.Generator().manual_seed(s) (pass it as '
         'generator=), and samples with rand, randn, randint, randperm, normal, bernoulli and multinomial',
         """
        binomial get_rng_state initial_seed
        poisson quasirandom randint_like random seed set_rng_state thread_safe_generator
         """),
        ('mixed precision (autocast, GradScaler) is out of scope: minigan trains in float32 (float64 for '
         'gradient checks)',
         """
        GradScaler amp autocast autocast_decrement_nesting autocast_increment_nesting
        clear_autocast_cache get_autocast_cpu_dtype get_autocast_dtype get_autocast_gpu_dtype
        get_autocast_ipu_dtype get_autocast_xla_dtype is_autocast_cache_enabled is_autocast_cpu_enabled
        is_autocast_enabled is_autocast_ipu_enabled is_autocast_xla_enabled set_autocast_cache_enabled
        set_autocast_cpu_dtype set_autocast_cpu_enabled set_autocast_dtype set_autocast_enabled
        set_autocast_gpu_dtype set_autocast_ipu_dtype set_autocast_ipu_enabled set_autocast_xla_dtype
        set_autocast_xla_enabled
         """),
        ('not provided at the top level: look for it in minigan.nn.functional (docs/pytorch.md lists what '
         'is there)',
         """
        bilinear celu_ channel_shuffle ctc_loss embedding_bag
        max_pool3d rrelu rrelu_ selu_ threshold_
         """),
        ('an internal PyTorch kernel, not part of its documented API: use the public function '
         '(minigan.nn.functional has the ones minigan provides)',
         """
        affine_grid_generator alpha_dropout_ batch_norm_backward_elemt batch_norm_backward_reduce
        batch_norm_elemt batch_norm_gather_stats batch_norm_gather_stats_with_counts batch_norm_stats
        batch_norm_update_stats constant_pad_nd conv_tbc convolution cudnn_affine_grid_generator
        cudnn_batch_norm cudnn_convolution cudnn_convolution_add_relu cudnn_convolution_relu
        cudnn_convolution_transpose cudnn_grid_sampler cudnn_is_acceptable dropout_ embedding_renorm_
        feature_alpha_dropout_ feature_dropout feature_dropout_ grid_sampler grid_sampler_2d
        grid_sampler_3d gru_cell lstm_cell max_pool1d_with_indices miopen_batch_norm miopen_convolution
        miopen_convolution_add_relu miopen_convolution_relu miopen_convolution_transpose miopen_ctc_loss
        miopen_depthwise_convolution miopen_rnn mkldnn_adaptive_avg_pool2d mkldnn_convolution
        mkldnn_linear_backward_weights mkldnn_max_pool2d mkldnn_max_pool3d mkldnn_rnn_layer
        native_batch_norm native_channel_shuffle native_dropout native_group_norm native_layer_norm
        native_norm norm_except_dim rnn_relu rnn_relu_cell rnn_tanh rnn_tanh_cell
         """),
        ('this indexing op is not provided: index with x[...] (integer or bool index tensors; the gradient'
         ' flows through), or use gather, index_select, index_add, nonzero or masked_select',
         """
        alias_copy detach_copy diagonal diagonal_copy diagonal_scatter expand_copy
        index_reduce indices_copy
        narrow_copy nonzero_static permute_copy select select_copy select_scatter slice_copy
        slice_inverse slice_scatter split_copy split_with_sizes_copy squeeze_copy t_copy
        transpose_copy unbind_copy unfold_copy unravel_index unsqueeze_copy view_copy
         """),
        ('this reduction/scan is not provided: compute it with NumPy on x.detach().numpy() (no gradient), or from '
         "minigan's sum/max/cumsum/indexing",
         """
        corrcoef cov cumulative_trapezoid gradient
        histogramdd mode nanmedian nanquantile
        trapezoid trapz
         """),
        ("complex numbers are out of scope: minigan's tensors are real (floating, integer or bool)",
         """
        angle cdouble cfloat chalf complex complex128 complex32 complex64 conj conj_physical
        conj_physical_ imag is_complex is_conj is_neg isreal polar real resolve_conj resolve_neg sgn
        view_as_complex view_as_complex_copy view_as_real view_as_real_copy
         """),
        ('quantization is out of scope: minigan trains and runs in floating point',
         """
        ao choose_qparams_optimized dequantize empty_quantized fake_quantize_per_channel_affine
        fake_quantize_per_tensor_affine fbgemm_linear_fp16_weight
        fbgemm_linear_fp16_weight_fp32_activation fbgemm_linear_int8_weight
        fbgemm_linear_int8_weight_fp32_activation fbgemm_linear_quantize_weight
        fbgemm_pack_gemm_matrix_fp16 fbgemm_pack_quantized_matrix fused_moving_avg_obs_fake_quant
        int_repr q_per_channel_axis q_per_channel_scales q_per_channel_zero_points q_scale q_zero_point
        qint32 qint8 qscheme quantization quantize_per_channel quantize_per_tensor
        quantize_per_tensor_dynamic quantized_batch_norm quantized_gru_cell quantized_lstm_cell
        quantized_max_pool1d quantized_max_pool2d quantized_max_pool3d quantized_rnn_relu_cell
        quantized_rnn_tanh_cell quint2x4 quint4x2 quint8
         """),
        ('this sorting or selection function is not provided: minigan has sort, argsort, topk and unique; '
         'otherwise use NumPy on x.detach().numpy(), then index the tensor with the result (x[idx] keeps the gradient)',
         """
        bucketize msort searchsorted unique_consecutive
         """),
        ('this shape function is not provided at the top level: use cat/stack, reshape, permute, expand '
         'and indexing',
         """
        diag_embed diagflat
         """),
        ('minigan has it in minigan.nn.functional: use minigan.nn.functional.{name} (torch.{name} is the '
         'same function in PyTorch)',
         """
        adaptive_avg_pool1d adaptive_max_pool1d avg_pool1d batch_norm binary_cross_entropy_with_logits celu
        conv1d conv2d conv_transpose1d conv_transpose2d cosine_embedding_loss cosine_similarity dropout
        embedding group_norm hardshrink hinge_embedding_loss instance_norm kl_div layer_norm
        margin_ranking_loss max_pool1d max_pool2d pairwise_distance pixel_shuffle pixel_unshuffle
        poisson_nll_loss prelu rms_norm selu threshold triplet_margin_loss
         """),
        ('spectral transforms and window functions are out of scope: use numpy.fft on x.detach().numpy() (no '
         'gradient)',
         """
        bartlett_window blackman_window fft hamming_window hann_window istft kaiser_window signal stft
         """),
        ("this dtype is not provided: minigan's dtypes are float16/32/64, int8/16/32/64, uint8 and bool "
         '(NumPy dtypes)',
         """
        bfloat16 bits16 bits1x8 bits2x4 bits4x2 bits8 float4_e2m1fn_x2 float8_e4m3fn float8_e4m3fnuz
        float8_e5m2 float8_e5m2fnuz float8_e8m0fnu int1 int2 int3 int4 int5 int6 int7 uint1 uint16 uint2
        uint3 uint32 uint4 uint5 uint6 uint64 uint7
         """),
        ("this elementwise function is not provided: compose it from minigan's ops (minigan.where, log, "
         'exp, ...), or use NumPy on x.detach().numpy() for values',
         """
        copysign float_power fmax fmin frexp gcd gcd_ heaviside i0_ isin isneginf isposinf lcm lcm_ ldexp ldexp_
        logaddexp2 nextafter renorm signbit sinc sinc_
         """),
        ('this product/distance is not provided: write it with einsum, matmul (@), broadcasting and sum (e.g. '
         '((a[:, None] - b[None]) ** 2).sum(-1).sqrt())',
         """
        block_diag cartesian_prod combinations pdist tril_indices
        triu_indices vander
         """),
        ("minigan's dtypes are NumPy dtypes underneath (x.dtype.dtype): use numpy.promote_types, numpy.result_type, "
         'numpy.can_cast',
         """
        can_cast promote_types result_type
         """),
        ('sparse tensors are out of scope: use dense tensors',
         """
        ccol_indices_copy col_indices_copy crow_indices_copy dsmm hsmm hspmm resize_as_sparse_
        row_indices_copy saddmm smm sparse sparse_bsc_tensor sparse_bsr_tensor sparse_compressed_tensor
        sparse_coo_tensor sparse_csc_tensor sparse_csr_tensor spmm sspaddmm values_copy
         """),
        ('linear algebra beyond products is not provided: use numpy.linalg on x.detach().numpy() for values (no '
         'gradient)',
         """
        cholesky cholesky_inverse cholesky_solve det frobenius_norm geqrf inverse kron
        lobpcg logdet lu_solve lu_unpack matrix_exp nuclear_norm orgqr ormqr
        pinverse qr slogdet svd triangular_solve
         """),
        ("minigan's devices are 'cpu' and 'cuda' (through CuPy; minigan.cuda, minigan.accelerator): other "
         'device kinds are out of scope',
         """
        cpu get_device_module mps mtia xpu
         """),
        ('special functions (gamma, Bessel, ...) beyond erf, erfc and erfinv are not provided: '
         'scipy.special on x.detach().numpy() gives values without a gradient',
         """
        digamma i0 igamma igammac lgamma mvlgamma polygamma special
         """),
        ('distributed and multi-process training is out of scope: minigan runs in one process on one '
         'device',
         """
        distributed is_distributed multiprocessing
         """),
        ('probability distributions are not provided: sample with minigan.randn/rand and write the log-'
         "density with minigan's ops",
         """
        distributions
         """),
        ("minigan's dtypes are NumPy dtypes: use numpy.finfo(minigan.float32) / numpy.iinfo(minigan.int64)",
         """
        finfo iinfo
         """),
        ("minigan's CPU ops are deterministic (same seed, same numbers) and have no nondeterministic fast "
         'paths to switch off: nothing to set',
         """
        get_deterministic_debug_mode set_deterministic_debug_mode
         """),
        ('a PyTorch performance/warning switch with no counterpart in minigan (NumPy decides): not '
         'provided',
         """
        get_float32_matmul_precision is_warn_always_enabled numa set_float32_matmul_precision
        set_flush_denormal set_warn_always
         """),
        ("minigan has one thread pool (NumPy's BLAS): use minigan.set_num_threads / get_num_threads",
         """
        get_num_interop_threads init_num_threads set_num_interop_threads
         """),
        ("PyTorch's functional kernel behind nn.GRU and nn.LSTM (flat weight lists): use the modules, "
         'minigan.nn.GRU and minigan.nn.LSTM',
         """
        gru lstm
         """),
        ('torch.hub downloads pretrained models: out of scope (minigan trains its models from scratch; '
         'minigan.load reads checkpoints)',
         """
        hub
         """),
        ('this scatter/put-style write is not provided: minigan has scatter and scatter_add; otherwise build the '
         'result with minigan.where or indexing (x[idx] = v)',
         """
        masked_scatter put scatter_reduce
         """),
        ('use the context manager minigan.detect_anomaly() (or minigan.autograd.detect_anomaly())',
         """
        is_anomaly_check_nan_enabled set_anomaly_enabled
         """),
        ('nested and masked tensors are out of scope: pad to a common shape and use a bool mask with '
         'minigan.where',
         """
        masked nested
         """),
        ('exporting to ONNX is out of scope: save the weights with minigan.save (a plain .npz NumPy reads)',
         """
        onnx
         """),
        ('torch.package is out of scope: save weights with minigan.save and share the code',
         """
        package
         """),
        ('use numpy.testing (assert_allclose) on x.detach().numpy(), or minigan.allclose',
         """
        testing
         """),
        ('use minigan.__version__',
         """
        torch_version version
         """),
    ],
    "torch.Tensor": [
        ("not provided: use x.t() / x.transpose(-2, -1) (minigan's tensors are real, so conjugation is "
         'nothing)',
         """
        H adjoint mH
         """),
        ('this product/distance is not provided: write it with einsum, matmul (@), broadcasting and sum',
         """
        addbmm_ addr_ baddbmm_ cross renorm renorm_
         """),
        ('this reduction/scan is not provided: compute it with NumPy on x.detach().numpy() (no gradient), or from '
         "minigan's sum/max/cumsum/indexing",
         """
        corrcoef cov cumprod_ cumsum_ histogram
        mode nanmedian nanquantile
         """),
        ("complex numbers are out of scope: minigan's tensors are real (floating, integer or bool)",
         """
        angle bfloat16 cdouble cfloat chalf conj conj_physical conj_physical_ imag is_complex is_conj
        is_neg isreal real resolve_conj resolve_neg sgn sgn_
         """),
        ("minigan's Tensor has no .{name}: it covers the part of torch.Tensor a course on GANs uses (see "
         'docs/pytorch.md)',
         """
        apply_ fill_diagonal_ is_signed layout map2_ map_
         """),
        ('this sorting or selection function is not provided: minigan has sort, argsort, topk and unique; '
         'otherwise use NumPy on x.detach().numpy(), then index the tensor with the result (x[idx] keeps the gradient)',
         """
        msort unique_consecutive
         """),
        ('this indexing op is not provided: index with x[...] (integer or bool index tensors; the gradient'
         ' flows through), or use gather, index_select, index_add, nonzero or masked_select',
         """
        diagonal diagonal_scatter index
        index_reduce index_reduce_
        narrow_copy nonzero_static select select_scatter slice_inverse
        slice_scatter unfold
         """),
        ('strides, streams and storage classes are not exposed: a minigan tensor is a NumPy/CuPy array (.array, '
         '.detach().numpy(), minigan.from_numpy); x.storage() and x.untyped_storage() show the memory under it',
         """
        as_strided as_strided_ as_strided_scatter const_data_ptr dim_order
        is_pinned is_set_to is_shared module_load new_empty_strided
        pin_memory record_stream resize_as_sparse_ set_
        share_memory_ storage_type
         """),
        ("PyTorch's out-of-place resize and resize_as (deprecated there) are not provided: write "
         "x.clone().resize_(...) (or x.reshape(...) for the same number of elements)",
         """
        resize resize_as
         """),
        ("PyTorch's compilers and their types (TorchScript, torch.compile, fx, export, symbolic shapes) "
         'are out of scope: minigan runs eagerly, in plain Python and NumPy',
         """
        as_subclass hash_tensor
         """),
        ('not provided: minigan has one seeded generator (minigan.manual_seed) and the samplers rand, '
         'randn, randint, randperm and *_like',
         """
        cauchy_ exponential_ geometric_ log_normal_ random_
         """),
        ("this elementwise function is not provided: compose it from minigan's ops (minigan.where, log, "
         'exp, ...), or use NumPy on x.detach().numpy() for values',
         """
        copysign copysign_ float_power float_power_ fmax fmin frexp gcd gcd_ hardshrink heaviside
        heaviside_ isneginf isposinf lcm lcm_ ldexp ldexp_ logaddexp2 nextafter
        nextafter_ prelu signbit sinc sinc_
         """),
        ('sparse tensors are out of scope: use dense tensors',
         """
        ccol_indices coalesce col_indices crow_indices dense_dim indices is_coalesced is_sparse
        is_sparse_csr row_indices smm sparse_dim sparse_mask sparse_resize_ sparse_resize_and_clear_
        sspaddmm to_dense to_sparse to_sparse_bsc to_sparse_bsr to_sparse_coo to_sparse_csc
        to_sparse_csr values
         """),
        ('linear algebra beyond products is not provided: use numpy.linalg on x.detach().numpy() for values (no '
         'gradient)',
         """
        cholesky cholesky_inverse cholesky_solve det eig geqrf inverse kron logdet lstsq lu lu_solve
        matrix_exp orgqr ormqr pinverse qr slogdet solve svd symeig triangular_solve
         """),
        ('quantization is out of scope: minigan trains and runs in floating point',
         """
        dequantize int_repr is_quantized q_per_channel_axis q_per_channel_scales
        q_per_channel_zero_points q_scale q_zero_point qscheme
         """),
        ('this shape method is not provided: use reshape, permute, expand, minigan.cat/stack and indexing',
         """
        diag_embed diagflat split_with_sizes
        sum_to_size unsafe_chunk unsafe_split unsafe_split_with_sizes
         """),
        ('special functions (gamma, Bessel, ...) beyond erf, erfc and erfinv are not provided: '
         'scipy.special on x.detach().numpy() gives values without a gradient',
         """
        digamma digamma_ i0 i0_ igamma igamma_ igammac igammac_
        lgamma lgamma_ mvlgamma mvlgamma_ polygamma polygamma_
         """),
        ("not provided: compare x.device.type with 'cpu' or 'cuda' (or x.is_cuda)",
         """
        is_distributed
         """),
        ("an autograd internal not provided: minigan's tensors have requires_grad, grad, grad_fn, is_leaf "
         'and retain_grad()',
         """
        grad_dtype is_inference output_nr reinforce retains_grad volatile
         """),
        ("minigan's devices are 'cpu' and 'cuda' (through CuPy; minigan.cuda, minigan.accelerator): other "
         'device kinds are out of scope',
         """
        ipu is_ipu is_maia is_meta is_mkldnn is_mtia is_nested is_vulkan is_xla mtia to_mkldnn
        to_padded_tensor xpu
         """),
        ('spectral transforms and window functions are out of scope: use numpy.fft on x.detach().numpy() (no '
         'gradient)',
         """
        istft stft
         """),
        ('this scatter/put-style write is not provided: minigan has scatter and scatter_add; otherwise build the '
         'result with minigan.where or indexing (x[idx] = v)',
         """
        masked_scatter masked_scatter_ put put_ scatter_reduce
        scatter_reduce_
         """),
        ("post-accumulate hooks are not provided: use x.register_hook(fn), which sees a leaf's gradient once a "
         'backward, before it reaches .grad',
         """
        register_post_accumulate_grad_hook
         """),
    ],
    "torch.nn": [
        ('minigan.nn has no {name}: compose it from the layers minigan has (see docs/pytorch.md for the '
         'list)',
         """
        AlphaDropout Bilinear Buffer
        ChannelShuffle CrossMapLRN2d EmbeddingBag
        FeatureAlphaDropout FractionalMaxPool2d LPPool1d LPPool2d LocalResponseNorm MaxUnpool1d
        MaxUnpool2d ParameterDict RReLU
         """),
        ("3-d (volumetric) layers are out of scope: minigan's layers work on vectors and images",
         """
        AdaptiveAvgPool3d AdaptiveMaxPool3d AvgPool3d BatchNorm3d CircularPad3d ConstantPad3d Conv3d
        ConvTranspose3d Dropout3d FractionalMaxPool3d InstanceNorm3d LPPool3d MaxPool3d MaxUnpool3d
        ReflectionPad3d ReplicationPad3d ZeroPad3d
         LazyBatchNorm3d LazyConv3d LazyConvTranspose3d LazyInstanceNorm3d
         """),
        ("this loss is not provided: write it from minigan's ops, returning a mean over the batch "
         '(minigan.nn has BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss, MSELoss, L1Loss)',
         """
        AdaptiveLogSoftmaxWithLoss CTCLoss LinearCrossEntropyLoss LinearCrossEntropyOptions
        MultiLabelMarginLoss MultiMarginLoss NLLLoss2d TripletMarginWithDistanceLoss
         """),
        ("an internal module of torch.nn: use minigan.nn's layers, Module and Parameter",
         """
        Container common_types factory_kwargs grad modules parameter
         """),
        ('transformers are out of scope (minigan covers MLPs, CNNs, recurrent layers and attention for '
         "GANs): write one from nn.MultiheadAttention, nn.Linear, nn.LayerNorm and minigan's ops",
         """
        Transformer TransformerDecoder TransformerDecoderLayer TransformerEncoder TransformerEncoderLayer
        attention
         """),
        ("the lazy instance norms default to running statistics (track_running_stats=True), which minigan's "
         'InstanceNorm does not keep: give the size, e.g. nn.InstanceNorm2d(num_features, affine=True)',
         """
        LazyInstanceNorm1d LazyInstanceNorm2d
         """),
        ('distributed and multi-process training is out of scope: minigan runs in one process on one '
         'device',
         """
        SyncBatchNorm
         """),
        ('quantization is out of scope: minigan trains and runs in floating point',
         """
        intrinsic qat quantizable quantized
         """),
    ],
    "torch.nn.functional": [
        ("minigan.nn.functional has no {name}: compose it from minigan's ops (see docs/pytorch.md for the "
         'list)',
         """
        ScalingType SwizzleType adaptive_max_pool1d_with_indices
        adaptive_max_pool2d_with_indices adaptive_max_pool3d_with_indices
        alpha_dropout bilinear channel_shuffle embedding_bag feature_alpha_dropout
        fractional_max_pool2d fractional_max_pool2d_with_indices fractional_max_pool3d_with_indices grad
        local_response_norm lp_pool1d lp_pool2d max_pool1d_with_indices
        max_pool2d_with_indices max_pool3d_with_indices max_unpool1d max_unpool2d pdist rrelu
         """),
        ("3-d (volumetric) ops are out of scope: minigan's ops work on vectors and images",
         """
        adaptive_avg_pool3d adaptive_max_pool3d avg_pool3d conv3d conv_transpose3d dropout3d
        fractional_max_pool3d lp_pool3d max_pool3d max_unpool3d
         """),
        ('spatial transformers (grid_sample, affine_grid) are not provided',
         """
        affine_grid grid_sample
         """),
        ('randomized leaky ReLU is not provided: use F.leaky_relu with a slope you draw',
         """
        rrelu_
         """),
        ('an internal PyTorch kernel, not part of its documented API: use the public function '
         '(minigan.nn.functional has the ones minigan provides)',
         """
        conv_tbc grouped_mm native_channel_shuffle scaled_grouped_mm scaled_mm
         """),
        ("this loss is not provided: write it from minigan's ops (minigan.nn.functional has the classic "
         'ones)',
         """
        ctc_loss linear_cross_entropy multi_margin_loss multilabel_margin_loss
        triplet_margin_with_distance_loss
         """),
        ("minigan's multi-head attention is the layer nn.MultiheadAttention (its forward is this function's "
         'algorithm); scaled_dot_product_attention is in minigan.nn.functional',
         """
        multi_head_attention_forward
         """),
    ],
    "torch.optim": [
        ('minigan.optim has no {name}: it has SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, RAdam, NAdam '
         'and the optimistic variants; subclass minigan.optim.Optimizer for another',
         """
        ASGD Adafactor Muon Rprop
         """),
        ("L-BFGS is not provided: minigan's optimizers are first-order (SGD, RMSprop, Adam, AdamW, "
         'Adagrad, Adadelta)',
         """
        LBFGS
         """),
        ('sparse tensors are out of scope: use dense tensors',
         """
        SparseAdam
         """),
        ('stochastic weight averaging is not provided: keep a running average of the parameters by hand '
         '(p_avg += (p - p_avg) / n under no_grad)',
         """
        swa_utils
         """),
        ("PyTorch's compilers and their types (TorchScript, torch.compile, fx, export, symbolic shapes) "
         'are out of scope: minigan runs eagerly, in plain Python and NumPy',
         """
        swap_in_optimizer_params_and_state
         """),
    ],
    "torch.optim.lr_scheduler": [
        ('minigan has no lr_scheduler.{name}: subclass LRScheduler and write get_lr(), or use LambdaLR',
         """
        CyclicLR
         """),
    ],
    "torch.autograd": [
        ("profiling tools are not provided: use Python's cProfile, or python -m minigan.bench for "
         "minigan's own benchmarks",
         """
        DeviceType ProfilerActivity ProfilerConfig ProfilerEvent ProfilerState kineto_available profiler
        profiler_legacy profiler_util
         """),
        ('minigan.autograd has no {name}: it provides grad (any order), backward, Function and detect_anomaly',
         """
        set_detect_anomaly
         """),
        ("an autograd internal: minigan's is the grad_fn chain of its tensors (minigan/engine/graph.py)",
         """
        NestedIOFunction SavedTensor anomaly_mode enforce_grad_layout_policy
        is_multithreading_enabled is_tensor_like is_view_replay_enabled set_multithreading_enabled
        variable
         """),
        ('forward-mode AD is not provided: minigan.autograd.functional.jvp gives Jv by reverse mode twice, '
         'and jacobian / hessian row by row',
         """
        forward_ad
         """),
    ],
    "torch.utils.data": [
        ('minigan.utils.data has no {name}: it provides Dataset, TensorDataset, Subset, ConcatDataset, '
         'random_split, the sequential/random/batch samplers, DataLoader, default_collate and default_convert',
         """
        ChainDataset IterableDataset StackDataset WeightedRandomSampler dataloader dataset sampler
         """),
        ('DataPipes are deprecated in PyTorch and not provided: use a Dataset and the DataLoader',
         """
        DFIterDataPipe DataChunk IterDataPipe MapDataPipe argument_validation datapipes
        functional_datapipe graph graph_settings guaranteed_datapipes_determinism non_deterministic
        runtime_validation runtime_validation_disabled
         """),
        ('distributed and multi-process training is out of scope: minigan runs in one process on one '
         'device',
         """
        DistributedSampler distributed
         """),
        ("minigan's DataLoader loads in the main process (no workers): there is no worker info",
         """
        get_worker_info
         """),
    ],
    "torch.linalg": [
        ('minigan.linalg has its norms and products (vector_norm, matrix_norm, norm, vecdot, matmul, multi_dot, '
         'matrix_power, diagonal, cross); no decomposition or solver: use numpy.linalg on x.detach().numpy() for '
         'values (no gradient)',
         """
        LinAlgError cholesky cholesky_ex cond det eig eigh eigvals eigvalsh householder_product inv inv_ex
        ldl_factor ldl_factor_ex ldl_solve lstsq lu lu_factor lu_factor_ex lu_solve matrix_exp
        matrix_rank pinv qr slogdet solve solve_ex solve_triangular svd svdvals tensorinv tensorsolve vander
         """),
    ],
    "torch.nn.utils": [
        ('weight normalisation is not provided (deprecated in PyTorch for parametrizations): write w = g·v/‖v‖ '
         'in your module, or use nn.utils.spectral_norm',
         """
        remove_weight_norm weight_norm
         """),
        ('not provided: clip_grad_norm_(parameters, max_norm) computes the total norm and clips in one call',
         """
        clip_grads_with_norm_
         """),
        ('fusing layers and memory formats are inference optimisations, out of scope: minigan runs the layers '
         'as written',
         """
        convert_conv2d_weight_memory_format convert_conv3d_weight_memory_format fuse_conv_bn_eval
        fuse_conv_bn_weights fuse_linear_bn_eval fuse_linear_bn_weights fusion memory_format
         """),
        ('an internal module of torch.nn.utils, not provided: minigan.nn.utils has clip_grad_norm_, '
         'clip_grad_value_, get_total_norm, parameters_to_vector, vector_to_parameters and spectral_norm',
         """
        init skip_init stateless
         """),
        ('packed sequences (torch.nn.utils.rnn) are not provided: pad the sequences to one length and give '
         "nn.RNN/LSTM/GRU the padded batch (a short sequence's outputs past its end are then computed too)",
         """
        rnn
         """),
    ],
    "torch.nn.init": [],
}

DIFFERENT = {
    "torch": {
        "empty": "returns zeros (PyTorch leaves the memory uninitialised)",
        "empty_like": "returns zeros (PyTorch leaves the memory uninitialised)",
        "manual_seed": "seeds minigan's generators, the CPU's and the GPU's (each its own stream): a seed gives "
                       "other random numbers than PyTorch's",
        "inference_mode": "the same as no_grad (minigan has no separate inference tensors)",
        "device": "'cpu' and 'cuda' (through CuPy) only",
        "save": "writes minigan's own .npz checkpoint, not a file torch.load reads; a whole model or optimizer is "
                "pickled in it, as PyTorch's",
        "load": "reads minigan's .npz checkpoints (a pickled model only with weights_only=False, as PyTorch's); "
                "map_location only as a device ('cpu' or 'cuda')",
        "backends": "cudnn/cuda flags are accepted and change nothing (minigan calls no cuDNN); mps is absent",
        "floor_divide": "not differentiated, as PyTorch's (the result is detached)",
        "functional": "minigan.functional is torch.nn.functional (PyTorch's torch.functional holds einsum, stft, ...)",
        "use_deterministic_algorithms": "accepted; minigan's CPU ops are deterministic, its GPU index-gradient "
                                        "scatter-add stays atomic (PyTorch would refuse it in this mode)",
    },
    "torch.Tensor": {
    },
    "torch.nn": {
        "DataParallel": "runs the wrapped module on minigan's one device (the whole batch); keys start with module.",
        "InstanceNorm2d": "no running statistics (track_running_stats=False, PyTorch's default)",
        "InstanceNorm1d": "no running statistics (track_running_stats=False, PyTorch's default)",
        "Upsample": "every mode for 1-D and 2-D inputs, not 'trilinear' (volumes) or antialias; see interpolate",
        "Embedding": "sparse=True is not provided (gradients are dense)",
    },
    "torch.nn.functional": {
        "interpolate": "every mode for 1-D and 2-D inputs, not 'trilinear' (volumes) or antialias=True; "
                       "nearest-exact in float32 can pick the lower pixel where PyTorch picks the upper at an exact "
                       "tie (3 of 870 sizes measured)",
        "instance_norm": "no running statistics",
    },
    "torch.optim": {},
    "torch.optim.lr_scheduler": {},
    "torch.autograd": {},
    "torch.utils.data": {
        "DataLoader": "loads in the main process: num_workers and pin_memory are accepted and change nothing",
    },
}


def _index() -> dict:
    """(namespace, name) -> advice template, built once from TABLE."""
    index = {}
    for space, groups in TABLE.items():
        for advice, names in groups:
            for name in names.split():
                index[(space, name)] = advice
    return index


_INDEX = _index()


def _has(space: str, name: str) -> bool:
    import minigan

    obj = minigan
    for part in PLACES[space].split(".")[1:]:
        obj = getattr(obj, part)
    return name in dir(obj)


def group_of(space: str, name: str):
    """The advice template for ``space.name`` (from the table or a rule), before ``{name}`` is filled in."""
    template = _INDEX.get((space, name))
    base = name[:-1] if name.endswith("_") and not name.endswith("__") else None
    if template is None and base and space in ("torch", "torch.Tensor"):
        if space == "torch.Tensor" and _has(space, base):
            template = INPLACE.replace("{place}{base}(...)", "x.{base}(...)")
        elif _has("torch", base):
            template = INPLACE.replace("{place}", "minigan.")
    if template is None and space == "torch.Tensor" and _has("torch", name) and not name.startswith("_"):
        template = AS_FUNCTION
    if template is None and space == "torch.autograd" and _has("torch", name) and not name.startswith("_"):
        template = AT_TOP
    return template


def advice(space: str, name: str):
    """The one-line advice for PyTorch's ``space.name`` that minigan lacks, or None when it has none."""
    template = group_of(space, name)
    if template is None:
        return None
    base = name[:-1] if name.endswith("_") and not name.endswith("__") else name
    return template.format(name=name, base=base, place=PLACES[space] + ".")


class NotInMinigan(AttributeError):
    """The AttributeError for a PyTorch name minigan does not have.  Its message already says what to use, so
    it keeps ``name`` and ``obj`` empty: Python then adds no "Did you mean" guess (which for ``minigan.sin``
    would have been the unrelated ``min``).  (The interpreter fills them in after a module's ``__getattr__``
    raises; these properties ignore that.)"""

    __module__ = "minigan"  # shown as minigan.NotInMinigan in a traceback (it is exported there)
    name = property(lambda self: None, lambda self, value: None)
    obj = property(lambda self: None, lambda self, value: None)


def attribute_error(space: str, name: str, obj=None) -> AttributeError:
    """The AttributeError for ``space.name``: the table's advice, or Python's usual one (and its suggestions)."""
    text = advice(space, name) if not name.startswith("__") else None
    if text is None:
        what = f"module {PLACES[space]!r}" if space != "torch.Tensor" else "'Tensor' object"
        return AttributeError(f"{what} has no attribute {name!r}", name=name, obj=obj)
    return NotInMinigan(f"{PLACES[space]}.{name}: {text}")
