// The only place in healthgap that talks to OpenBLAS and LAPACKE.
//
// Convention (after swift-system's `system_foo`): each function here wraps one C routine,
// checks dimensions before calling it, names the routine in its doc comment, and turns
// LAPACK's `info` into a `LAPACKError`. Public faces live in `LinearAlgebra.swift`.

internal import CBLAS

/// Pins OpenBLAS to one thread, once per process: healthgap's job runner is already parallel,
/// and OpenBLAS's own threads would oversubscribe the cores.
let pinOpenBLASToOneThread: Void = {
    openblas_set_num_threads(1)
}()

/// `C ← alpha·op(A)·op(B) + beta·C`, row-major. The corresponding C function is `cblas_dgemm`.
@usableFromInline
func blas_dgemm(
    transposeA: Bool, transposeB: Bool,
    m: Int, n: Int, k: Int,
    alpha: Double, a: UnsafePointer<Double>, lda: Int,
    b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
) {
    _ = pinOpenBLASToOneThread
    cblas_dgemm(
        CblasRowMajor,
        transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans,
        blasint(m), blasint(n), blasint(k),
        alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// Solves `A·X = B` for symmetric positive definite `A` (row-major, n×n), overwriting `B` with `X`
/// and `A` with its Cholesky factor. The corresponding C function is `LAPACKE_dposv`.
@usableFromInline
func lapack_dposv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int,
    b: UnsafeMutablePointer<Double>, ldb: Int
) -> Int32 {
    _ = pinOpenBLASToOneThread
    return LAPACKE_dposv(
        LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), Int32(nrhs),
        a, Int32(lda), b, Int32(ldb))
}
