import Dispatch
import Synchronization

/// Runs `body` for indices 0..<count on `threads` workers and returns the results in index order.
///
/// Work is handed out one index at a time from a shared counter, so the order in which
/// indices run depends on timing, but each result lands in its own slot: the output (and,
/// with one random stream per index, every simulated value) is the same for any thread count.
/// The first error thrown (lowest index) is rethrown after all workers stop.
/// - Complexity: O(count) calls of `body`, spread over `threads` workers.
public func parallelMap<T: Sendable, E: Error>(
    count: Int, threads: Int, _ body: @Sendable (Int) throws(E) -> T
) throws(E) -> [T] {
    let workers = max(1, min(threads, count))
    LinearAlgebra.pinToOneThread()
    if workers == 1 {
        var out: [T] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(try body(i)) }
        return out
    }
    let slots = ResultSlots<T, E>(count: count)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { return }
            do throws(E) {
                slots.set(i, .success(try body(i)))
            } catch {
                slots.set(i, .failure(error))
            }
        }
    }
    return try slots.collect()
}

/// One slot per index, each written by exactly one worker.
private final class ResultSlots<T: Sendable, E: Error>: @unchecked Sendable {
    private var storage: [Result<T, E>?]
    private let lock = Mutex<Void>(())

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<T, E>) {
        lock.withLock { _ in storage[i] = value }
    }

    func collect() throws(E) -> [T] {
        var out: [T] = []
        out.reserveCapacity(storage.count)
        for slot in storage {
            switch slot! {
            case .success(let v): out.append(v)
            case .failure(let e): throw e
            }
        }
        return out
    }
}
