import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension FlowixTransport {
    /// The most a Flowix answer may weigh; anything larger is not the documented JSON.
    static let maximumBodyBytes = 8 * 1024 * 1024

    /// Requests over HTTP to `baseURL` (e.g. `https://flowix.web.id/api/v1`); a transport
    /// failure or a timeout becomes an unknown outcome.
    public static func http(baseURL: String, httpClient: HTTPClient = .shared,
                            logger: Logger = Logger(label: "loket.flowix")) -> FlowixTransport {
        FlowixTransport { (request: FlowixRequest) async throws(FlowixError) -> FlowixAnswer in
            var components = URLComponents(string: baseURL + request.path)
            if !request.query.isEmpty { components?.queryItems = request.query.map { URLQueryItem(name: $0.0, value: $0.1) } }
            guard let url = components?.string, components?.scheme != nil else {
                throw .notSent("the Flowix base URL is not a valid URL")
            }
            var outgoing = HTTPClientRequest(url: url)
            outgoing.method = HTTPMethod(rawValue: request.method)
            for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
            if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }

            let started = ContinuousClock.now
            let answer: FlowixAnswer
            do {
                let response = try await httpClient.execute(outgoing, deadline: .now() + .init(request.timeout))
                answer = FlowixAnswer(status: Int(response.status.code),
                                      body: Data(try await response.body.collect(upTo: maximumBodyBytes).readableBytesView))
            } catch {
                logger.warning("flowix request failed", metadata: ["path": "\(request.path)", "error": "\(classify(error))"])
                throw .outcomeUnknown(classify(error))
            }
            logger.debug("flowix answered", metadata: [
                "path": "\(request.path)", "status": "\(answer.status)", "elapsed": "\(ContinuousClock.now - started)",
            ])
            return answer
        }
    }

    static func classify(_ error: any Error) -> FlowixUnknownOutcome {
        if error is NIOTooManyBytesError {
            return .invalidResponse(status: 200, reason: "the body was larger than \(maximumBodyBytes) bytes")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timeout
            case .bodyLengthMismatch: return .invalidResponse(status: 200, reason: "the body was cut short")
            default: return .connection(String(describing: error))
            }
        }
        if error is CancellationError { return .connection("cancelled") }
        return .connection(String(describing: type(of: error)))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
