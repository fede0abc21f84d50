import Money

/// Which list of services to fetch.
public enum ServiceType: String, Sendable, CaseIterable {
    /// Prepaid products bought with `/transaction/create`.
    case prabayar
    /// Postpaid bills paid with `/bill/check` and `/bill/pay`.
    case pascabayar
}

/// One entry of `GET /services`.
public struct Product: Sendable, Equatable, Decodable {
    public let code: String
    public let name: String
    public let category: String
    public let brand: String
    public let type: String
    /// Flowix's price to us. Postpaid entries may have none: their amount comes from `/bill/check`.
    public let price: Rupiah?
    /// `available` when it can be bought now.
    public let status: String

    enum CodingKeys: String, CodingKey { case code, name, category, brand, type, price, status }

    public init(code: String, name: String, category: String, brand: String, type: String, price: Rupiah?, status: String) {
        self.code = code
        self.name = name
        self.category = category
        self.brand = brand
        self.type = type
        self.price = price
        self.status = status
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name)
        category = try c.decodeIfPresent(String.self, forKey: .category) ?? ""
        brand = try c.decodeIfPresent(String.self, forKey: .brand) ?? ""
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        price = try c.decodeIfPresent(Rupiah.self, forKey: .price)
        status = try c.decodeIfPresent(String.self, forKey: .status) ?? "unknown"
        guard !code.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .code, in: c, debugDescription: "empty product code")
        }
    }

    /// `true` when Flowix lists the product as available.
    public var isAvailable: Bool {
        let value = status.lowercased()
        return value == "available" || value == "active" || value == "tersedia"
    }
}

/// The answer of `GET /services`: the products that decoded, and the entries that did not.
///
/// One malformed entry (say, a price of `"-"`) must not hide the rest of the catalogue, and must
/// not become a product priced at zero; it is reported in ``invalidEntries`` instead.
public struct ProductList: Sendable, Equatable, Decodable {
    public let products: [Product]
    /// A description of each entry that could not be read, with its position.
    public let invalidEntries: [String]

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var products: [Product] = []
        var invalid: [String] = []
        while !container.isAtEnd {
            let index = container.currentIndex
            switch try container.decode(Entry.self).result {
            case .success(let product): products.append(product)
            case .failure(let error): invalid.append("entry \(index): \(FlowixDecoding.describe(error))")
            }
        }
        self.products = products
        invalidEntries = invalid
    }

    /// Decodes one element without throwing, so the container always moves past it.
    private struct Entry: Decodable {
        let result: Result<Product, any Error>
        init(from decoder: any Decoder) {
            result = Result { try Product(from: decoder) }
        }
    }
}
