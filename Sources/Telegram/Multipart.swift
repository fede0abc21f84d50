import Foundation

/// multipart/form-data encoding for uploads: every parameter becomes a text part (objects as
/// JSON, as the Bot API expects), the file a binary part.
enum Multipart {
    /// The method's parameters as name/value text pairs.
    static func fields(of method: some Encodable) throws -> [(String, String)] {
        let json = try JSONEncoder().encode(method)
        let object = try JSONDecoder().decode([String: JSONNode].self, from: json)
        return object.keys.sorted().map { ($0, object[$0]!.parameterText) }
    }

    static func body(fields: [(String, String)], upload: FileUpload, boundary: String) -> [UInt8] {
        var body: [UInt8] = []
        func append(_ text: String) { body.append(contentsOf: Array(text.utf8)) }
        for (name, value) in fields {
            append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(upload.field)\"; filename=\"\(upload.filename)\"\r\n")
        append("Content-Type: \(upload.contentType)\r\n\r\n")
        body.append(contentsOf: upload.bytes)
        append("\r\n--\(boundary)--\r\n")
        return body
    }
}
