/* nabla kernel prelude for OpenCL C 1.2. The kernel families are written against these names
 * only, so that the same text compiles as OpenCL C here and as CUDA C with prelude.cuda.h. */

/* The CPU backend never fuses a*b+c; neither may the device, or results and the Philox normal
 * stream (fdlibm ported in random.kc) stop matching it. OpenCL C contracts by default. */
#pragma OPENCL FP_CONTRACT OFF

#if defined(cl_khr_fp64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define HAS_F64 1
#elif defined(cl_amd_fp64)
#pragma OPENCL EXTENSION cl_amd_fp64 : enable
#define HAS_F64 1
#endif

#define KERNEL __kernel
#define GLOBAL __global
#define LOCAL __local
#define LPTR __local
#define DEVICE static inline
#define BARRIER() barrier(CLK_LOCAL_MEM_FENCE)

#define GLOBAL_ID(d) ((i64)get_global_id(d))
#define LOCAL_ID(d) ((int)get_local_id(d))
#define GROUP_ID(d) ((i64)get_group_id(d))
#define LOCAL_SIZE(d) ((int)get_local_size(d))

typedef char i8;
typedef uchar u8;
typedef int i32;
typedef uint u32;
typedef long i64;
typedef ulong u64;

#define AS_F32(i) as_float(i)
#define AS_I32(f) as_int(f)
#define AS_F64(l) as_double(l)
#define AS_I64(d) as_long(d)
#define MULHI32(a, b) mul_hi((u32)(a), (u32)(b))
#define ATOMIC_MIN_I32(p, v) atomic_min((p), (v))
#define ATOMIC_INC_I32(p) atomic_inc(p) /* returns the old value */

/* Four consecutive elements of type T at p into d0..d3 (one vector load where the device has them). */
#define LOAD4(p, d0, d1, d2, d3) { VEC4 v4_ = vload4(0, (p)); d0 = v4_.s0; d1 = v4_.s1; d2 = v4_.s2; d3 = v4_.s3; }
