/* nabla kernel prelude for CUDA C++ (nvcc, NVRTC). The kernel families are written against these
 * names only, so that the same text compiles as CUDA C here and as OpenCL C with prelude.opencl.h.
 * Compile with --fmad=false: the CPU backend never fuses a*b+c, and the Philox normal stream
 * (fdlibm ported in random.kc) must match it bit for bit. */

#define HAS_F64 1

#define KERNEL extern "C" __global__
#define GLOBAL
#define LOCAL __shared__
#define LPTR
#define DEVICE static __device__ __forceinline__
#define BARRIER() __syncthreads()

#define GLOBAL_ID(d) ((d) == 0 ? (i64)blockIdx.x * blockDim.x + threadIdx.x \
                    : (d) == 1 ? (i64)blockIdx.y * blockDim.y + threadIdx.y \
                    : (i64)blockIdx.z * blockDim.z + threadIdx.z)
#define LOCAL_ID(d) ((d) == 0 ? (int)threadIdx.x : (d) == 1 ? (int)threadIdx.y : (int)threadIdx.z)
#define GROUP_ID(d) ((d) == 0 ? (i64)blockIdx.x : (d) == 1 ? (i64)blockIdx.y : (i64)blockIdx.z)
#define LOCAL_SIZE(d) ((d) == 0 ? (int)blockDim.x : (d) == 1 ? (int)blockDim.y : (int)blockDim.z)

typedef signed char i8;
typedef unsigned char u8;
typedef int i32;
typedef unsigned int u32;
typedef long long i64;
typedef unsigned long long u64;

#define AS_F32(i) __int_as_float(i)
#define AS_I32(f) __float_as_int(f)
#define AS_F64(l) __longlong_as_double(l)
#define AS_I64(d) __double_as_longlong(d)
#define MULHI32(a, b) __umulhi((u32)(a), (u32)(b))
#define ATOMIC_MIN_I32(p, v) atomicMin((p), (v))
#define ATOMIC_INC_I32(p) atomicAdd((p), 1) /* returns the old value */

/* Four consecutive elements at p into d0..d3 (CUDA has no generic vload; the compiler merges these). */
#define LOAD4(p, d0, d1, d2, d3) { d0 = (p)[0]; d1 = (p)[1]; d2 = (p)[2]; d3 = (p)[3]; }
