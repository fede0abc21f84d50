import Money

extension Conversation {
    static let pageSize = 8

    /// Brands of a category; a single brand goes straight to its products.
    mutating func brandPicker(_ category: Category, target: String?, _ turn: inout Turn) {
        // Brands with a priced product: the product list below shows those, disrupted ones too.
        let brands = Array(Set(turn.context.products.filter { $0.category == category && $0.sellPrice != nil }
            .map(\.brand))).sorted()
        guard !brands.isEmpty else {
            turn.send(turn.context.text("products.none"))
            return showMenu(&turn)
        }
        if brands.count == 1 { return productPicker(category: category, brand: brands[0], target: target, &turn) }
        enter(.choosingBrand(category: category, brands: brands, target: target))
        var rows = stride(from: 0, to: brands.count, by: 2).map { start in
            (start..<min(start + 2, brands.count)).map { button(brands[$0], .option($0)) }
        }
        rows.append([turn.cancelButton])
        turn.send(turn.context.text("products.chooseBrand", ["category": turn.context.text(Self.categoryKey(category))]), buttons: rows)
    }

    mutating func productPicker(category: Category, brand: String?, target: String?, _ turn: inout Turn) {
        // What sells first, cheapest first; then what Flowix has in disruption, shown as such.
        let codes = turn.context.products
            .filter { $0.category == category && $0.sellPrice != nil
                && (brand == nil || $0.brand.caseInsensitiveCompare(brand!) == .orderedSame) }
            .sorted { ($0.isAvailable ? 0 : 1, $0.sellPrice!.value, $0.code) < ($1.isAvailable ? 0 : 1, $1.sellPrice!.value, $1.code) }
            .map(\.code)
        guard !codes.isEmpty else {
            turn.send(turn.context.text("products.none"))
            return showMenu(&turn)
        }
        showProducts(codes, page: 0, target: target, &turn)
    }

    /// A page of products, sell prices shown, with ◀ ▶ when there are more.
    mutating func showProducts(_ codes: [String], page: Int, target: String?, note: String? = nil, _ turn: inout Turn) {
        // A saved step always has products; an empty list (a damaged session) is "none left".
        guard !codes.isEmpty else {
            turn.send(turn.context.text("products.none"))
            return showMenu(&turn)
        }
        let pages = (codes.count + Self.pageSize - 1) / Self.pageSize
        let page = min(max(page, 0), pages - 1)
        enter(.choosingProduct(codes: codes, page: page, target: target))
        let context = turn.context
        var rows: [[Button]] = []
        for index in page * Self.pageSize..<min((page + 1) * Self.pageSize, codes.count) {
            guard let product = context.product(codes[index]), let price = product.sellPrice else { continue }
            let label = product.isAvailable ? "\(product.name) · \(context.money(price))"
                // A label is plain text: the name goes in unescaped.
                : context.text("products.disruptedButton").replacingOccurrences(of: "{product}", with: product.name)
            rows.append([button(label, .option(index))])
        }
        var navigation: [Button] = []
        if page > 0 { navigation.append(button(context.text("button.previous"), .page(page - 1))) }
        if page + 1 < pages { navigation.append(button(context.text("button.next"), .page(page + 1))) }
        if !navigation.isEmpty { rows.append(navigation) }
        rows.append([turn.cancelButton])
        var text = (note.map { $0 + "\n\n" } ?? "") + context.text("products.choose", ["page": String(page + 1), "pages": String(pages)])
        if let target { text += "\n" + context.text("products.forTarget", ["target": target]) }
        turn.send(text, buttons: rows)
    }

    mutating func chooseProduct(_ code: String, target: String?, repeating: Bool = false, _ turn: inout Turn) {
        if disrupted(code, &turn) || closed(code, &turn) { return }
        // A product without a sell price (Flowix listed no price, or it was removed since the
        // list was shown) cannot be confirmed: say so now rather than ask for a number.
        guard let product = turn.context.product(code), product.isAvailable, product.sellPrice != nil else {
            turn.send(turn.context.text("purchase.unavailable"))
            return showMenu(&turn)
        }
        if let target, case .success(let valid) = TargetValidator.validate(target, as: product.targetKind) {
            return showConfirmation(product, target: valid, note: nil, repeating: repeating, &turn)
        }
        enter(.enteringTarget(productCode: product.code))
        turn.send(turn.context.text(Self.targetPromptKey(product.targetKind), ["product": product.name]), buttons: [[turn.cancelButton]])
    }

    /// A product Flowix has in disruption (gangguan): say so, with the rest of its brand to
    /// choose from; `false` for any other product.
    mutating func disrupted(_ code: String, _ turn: inout Turn) -> Bool {
        guard let product = turn.context.product(code), !product.isAvailable else { return false }
        turn.send(turn.context.text("products.disrupted", ["product": product.name]), buttons: [[turn.menuButton]])
        reset()
        return true
    }

    /// A product the shop does not sell now (closed by the owner, or in its daily cut-off):
    /// say why and when it opens again; `false` when it sells, and always for an admin.
    mutating func closed(_ code: String, _ turn: inout Turn) -> Bool {
        let context = turn.context
        guard !context.customer.isAdmin, let product = context.product(code),
              let refusal = context.hours.refusal(for: product, at: context.now) else { return false }
        turn.send(refusal.text(product: product.name, strings: context.strings, context.language), buttons: [[turn.menuButton]])
        reset()
        return true
    }

    mutating func enterTarget(_ text: String, productCode: String, _ turn: inout Turn) {
        if disrupted(productCode, &turn) || closed(productCode, &turn) { return }
        guard let product = turn.context.product(productCode), product.isAvailable, product.sellPrice != nil else {
            turn.send(turn.context.text("purchase.unavailable"))
            return showMenu(&turn)
        }
        switch Self.destination(in: text, as: product.targetKind, turn.context) {
        case .success(let target): showConfirmation(product, target: target, note: nil, &turn)
        case .failure(let error):
            if startsNewRequest(text, &turn) { return }
            turn.send(turn.context.text(Self.targetErrorKey(error)), buttons: [[turn.cancelButton]])
        }
    }

    /// The confirmation: product, destination, price and balance afterwards, with Beli and Batal.
    /// A repeat the customer asked for (`KODE.2.TUJUAN`, "Beli lagi") is not asked "transaksi
    /// ganda?" again.
    mutating func showConfirmation(_ product: ProductOffer, target: String, note: String?, repeating: Bool = false, _ turn: inout Turn) {
        let context = turn.context
        if closed(product.code, &turn) { return }
        guard let price = product.sellPrice else {
            turn.send(context.text("purchase.unavailable"))
            return showMenu(&turn)
        }
        let quote = PurchaseQuote(productCode: product.code, productName: product.name, target: target, price: price)
        let duplicate = !repeating && context.recentPurchases.contains {
            $0.productCode == product.code && $0.target == target && context.now.timeIntervalSince($0.at) < 24 * 3600
        }
        enter(.confirmingPurchase(quote: quote, duplicate: duplicate))
        var lines: [String] = []
        if let note { lines.append(note) }
        let balance = context.customer.balance
        let after = balance.subtracting(price)
        lines.append(context.text("purchase.confirm", [
            "product": product.name, "target": target, "price": context.money(price),
            "balance": context.money(balance), "after": after.map(context.money) ?? "-",
        ]))
        if product.targetKind == .phone, [.pulsa, .data].contains(product.category),
           case .success(let phone) = PhoneNumber.parse(target), let op = phone.operator,
           Operator(rawValue: product.brand) != nil, op.rawValue != product.brand {
            lines.append(context.text("purchase.operatorMismatch", ["operator": op.rawValue, "brand": product.brand]))
        }
        if duplicate { lines.append(context.text("purchase.duplicateWarning")) }
        var rows: [[Button]]
        if after == nil {
            lines.append(context.text("purchase.insufficient"))
            rows = [[Button(context.text("menu.deposit"), CallbackData.menu(.deposit)), turn.cancelButton]]
        } else {
            rows = [[button(context.text("button.buy"), .confirm), turn.cancelButton]]
        }
        turn.send(lines.joined(separator: "\n\n"), buttons: rows)
    }

    /// Beli pressed: ask again if the price went up, ask "transaksi ganda?" once for a repeat,
    /// otherwise place the purchase at the price shown (or the lower current one).
    mutating func confirmPurchase(_ quote: PurchaseQuote, duplicate: Bool, _ turn: inout Turn) {
        let context = turn.context
        if disrupted(quote.productCode, &turn) || closed(quote.productCode, &turn) { return }
        guard let product = context.product(quote.productCode), product.isAvailable, let current = product.sellPrice else {
            turn.send(context.text("purchase.unavailable"))
            return showMenu(&turn)
        }
        if current > quote.price {
            let note = context.text("purchase.priceChanged", ["old": context.money(quote.price), "new": context.money(current)])
            return showConfirmation(product, target: quote.target, note: note, repeating: !duplicate, &turn)
        }
        var final = quote
        final.price = current
        if duplicate {
            enter(.confirmingDuplicate(quote: final))
            return turn.send(context.text("purchase.duplicateAsk", ["product": final.productName, "target": final.target]),
                             buttons: [[button(context.text("button.buyAgain"), .confirm), turn.cancelButton]])
        }
        authorize(.purchase(final), &turn)
    }

    mutating func placePurchase(_ quote: PurchaseQuote, _ turn: inout Turn) {
        reset()
        turn.effects.append(.purchase(quote))
    }

    /// `/beli KODE TUJUAN`, `KODE.TUJUAN`, `KODE TUJUAN`: straight to the confirmation.
    /// `KODE.TUJUAN.PIN`: the PIN is the confirmation (the message holding it is deleted).
    mutating func quickBuy(code: String, target: String?, repeating: Bool = false, pin: String? = nil, _ turn: inout Turn) {
        if pin != nil, let message = turn.context.messageID { turn.effects.append(.deleteMessage(message)) }
        guard !code.isEmpty else { return turn.send(turn.context.text("quickbuy.usage")) }
        guard let product = turn.context.product(code), product.sellPrice != nil else { return unknownCode(code, target: target, &turn) }
        if let target, case .failure(let error) = TargetValidator.validate(target, as: product.targetKind) {
            turn.send(turn.context.text(Self.targetErrorKey(error)))
            return chooseProduct(product.code, target: nil, &turn)
        }
        if let pin, let target, case .success(let valid) = TargetValidator.validate(target, as: product.targetKind) {
            return buyWithPIN(product, target: valid, repeating: repeating, pin: pin, &turn)
        }
        chooseProduct(product.code, target: target, repeating: repeating, &turn)
    }

    /// `KODE.TUJUAN.PIN`, as resellers send it to their servers: no confirmation, the PIN is
    /// checked and the order placed. A repeat within 24 hours needs the counter
    /// (`KODE.2.TUJUAN.PIN`), since no "transaksi ganda?" can be asked.
    private mutating func buyWithPIN(_ product: ProductOffer, target: String, repeating: Bool, pin: String, _ turn: inout Turn) {
        let context = turn.context
        reset()
        if disrupted(product.code, &turn) || closed(product.code, &turn) { return }
        guard product.isAvailable, let price = product.sellPrice else { return turn.send(context.text("purchase.unavailable")) }
        let quote = PurchaseQuote(productCode: product.code, productName: product.name, target: target, price: price)
        if !repeating, context.recentPurchases.contains(where: {
            $0.productCode == product.code && $0.target == target && context.now.timeIntervalSince($0.at) < 24 * 3600
        }) {
            return turn.send(context.text("purchase.duplicateWithPIN", ["code": product.code, "target": target]), buttons: [[turn.menuButton]])
        }
        guard context.customer.balance >= price else {
            return turn.send(context.text("purchase.insufficientWithPIN", [
                "price": context.money(price), "balance": context.money(context.customer.balance),
            ]), buttons: [[Button(context.text("menu.deposit"), CallbackData.menu(.deposit)), turn.menuButton]])
        }
        guard mayStartProtected(&turn) else { return }
        pinEntered(pin, .unlock(.purchase(quote)), &turn)
    }

    public static func categoryKey(_ category: Category) -> String {
        switch category {
        case .pulsa: return "menu.pulsa"
        case .data: return "menu.data"
        case .emoney: return "menu.emoney"
        case .game: return "menu.game"
        case .pln: return "menu.pln"
        case .bill: return "menu.bill"
        }
    }

    static func targetPromptKey(_ kind: TargetKind) -> String {
        switch kind {
        case .phone: return "target.ask.phone"
        case .plnMeter: return "target.ask.pln"
        case .bpjs: return "target.ask.bpjs"
        case .pdam: return "target.ask.pdam"
        case .gameID: return "target.ask.game"
        }
    }

    static func targetErrorKey(_ error: TargetError) -> String {
        switch error {
        case .phone(.notANumber): return "target.invalid.phoneDigits"
        case .phone(.wrongLength): return "target.invalid.phoneLength"
        case .phone(.notMobile): return "target.invalid.phonePrefix"
        case .wrongShape(.plnMeter): return "target.invalid.pln"
        case .wrongShape(.bpjs): return "target.invalid.bpjs"
        case .wrongShape(.pdam): return "target.invalid.pdam"
        case .wrongShape(.gameID): return "target.invalid.game"
        case .wrongShape(.phone): return "target.invalid.phoneDigits"
        }
    }
}
