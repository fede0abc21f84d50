import Money

/// Builds an EMVCo merchant-presented QR payload in the QRIS layout, with its CRC, so the
/// sandbox hands out strings that look and check like real ones.
enum QRISPayload {
    static func make(merchantName: String, city: String, amount: Rupiah, reference: String) -> String {
        func field(_ id: String, _ value: String) -> String {
            let length = String(value.utf8.count)
            return id + (length.count == 1 ? "0" + length : length) + value
        }
        let merchantAccount = field("00", "ID.CO.QRIS.WWW") + field("01", "936000140000012345")
            + field("02", "FLOWIX0001") + field("03", "UMI")
        var payload = field("00", "01") + field("01", "12") + field("26", merchantAccount)
            + field("52", "5999") + field("53", "360") + field("54", String(amount.value))
            + field("58", "ID") + field("59", String(merchantName.prefix(25)))
            + field("60", String(city.prefix(15))) + field("62", field("01", String(reference.prefix(25))))
        payload += "6304"
        return payload + crc16(payload)
    }

    /// CRC-16/CCITT-FALSE over the payload, as four uppercase hex digits.
    static func crc16(_ text: String) -> String {
        var crc: UInt16 = 0xFFFF
        for byte in text.utf8 {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        let hex = String(crc, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }
}
