/// One lock per chat, so the follow-up to a lookup and the chat's next update never load and
/// save its conversation state at the same time.
actor ChatLocks {
    private var waiting: [Int64: [CheckedContinuation<Void, Never>]] = [:]
    private var held: Set<Int64> = []

    func lock(_ chat: Int64) async {
        if held.insert(chat).inserted { return }
        await withCheckedContinuation { waiting[chat, default: []].append($0) }
    }

    func unlock(_ chat: Int64) {
        if var queue = waiting[chat], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[chat] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            held.remove(chat)
        }
    }

    /// Runs `body` holding the chat's lock.
    func withLock<T: Sendable>(_ chat: Int64, _ body: @Sendable () async throws -> T) async rethrows -> T {
        await lock(chat)
        do {
            let result = try await body()
            unlock(chat)
            return result
        } catch {
            unlock(chat)
            throw error
        }
    }
}
