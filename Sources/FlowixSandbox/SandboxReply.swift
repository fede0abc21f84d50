import Flowix
import Foundation

/// An HTTP answer the sandbox gives, with an optional wait before it is sent.
struct SandboxReply: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]
    var delay: Duration?
    /// The knob that produced this answer, if any.
    var fault: SandboxFault?

    /// `{"success": true, "code": 200, "message": …, "data": …, "meta": …}`.
    static func success(_ message: String, data: JSONValue, method: String, includeMeta: Bool = true) -> SandboxReply {
        var members: [(String, JSONValue)] = [("success", .bool(true))]
        if includeMeta { members.append(("code", .integer(200))) }
        members.append(("message", .string(message)))
        members.append(("data", data))
        if includeMeta { members.append(("meta", meta(method: method))) }
        return SandboxReply(status: 200, contentType: "application/json", body: JSONValue.object(members).bytes)
    }

    /// `{"success": false, "code": status, "message": …, "data": null}` with that HTTP status.
    static func failure(_ status: Int, _ message: String, method: String) -> SandboxReply {
        let body = JSONValue.object([
            ("success", .bool(false)), ("code", .integer(Int64(status))), ("message", .string(message)),
            ("data", .null), ("meta", meta(method: method)),
        ])
        return SandboxReply(status: status, contentType: "application/json", body: body.bytes)
    }

    /// `{"success": false, "code": code, "message": …, "data": null, "meta": …}` with any HTTP
    /// status (`code: nil` leaves `code` out), as a knob answers.
    static func refusal(httpStatus: Int, code: Int?, message: String, method: String, fault: SandboxFault?) -> SandboxReply {
        var members: [(String, JSONValue)] = [("success", .bool(false))]
        if let code { members.append(("code", .integer(Int64(code)))) }
        members += [("message", .string(message)), ("data", .null), ("meta", meta(method: method))]
        return SandboxReply(status: httpStatus, contentType: "application/json", body: JSONValue.object(members).bytes, fault: fault)
    }

    /// An error page like the ones a PHP host's proxy shows.
    static func htmlErrorPage(status: Int) -> SandboxReply {
        let reason = status == 504 ? "Gateway Time-out" : "Bad Gateway"
        let page = "<!DOCTYPE html><html><head><title>\(status) \(reason)</title></head>"
            + "<body><center><h1>\(status) \(reason)</h1></center><hr><center>nginx</center></body></html>"
        return SandboxReply(status: status, contentType: "text/html", body: Array(page.utf8))
    }

    static func meta(method: String) -> JSONValue {
        .object([
            ("timestamp", .string(FlowixTimestamp(Date()).text)), ("api_version", .string("1.0.0")),
            ("method", .string(method)), ("ip", .string("127.0.0.1")),
        ])
    }
}
