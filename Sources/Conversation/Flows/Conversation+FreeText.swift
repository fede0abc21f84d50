import Foundation
import Money

extension Conversation {
    /// Free text outside any step: an order reference, then the message read slot by slot
    /// (``Utterance``): a cancel, a complaint or a thank-you before any order in it, then the
    /// reseller format, then what the words ask for. Nothing is guessed: a confirmation only
    /// shows a product that matches everything typed, a missing amount is asked for, and what
    /// matches nothing is said back with the nearest real choices.
    mutating func freeText(_ text: String, _ turn: inout Turn) {
        let context = turn.context
        if let reference = Reference.orderMentioned(in: text) {
            reset()
            return turn.effects.append(.lookupOrder(reference: reference))
        }
        let utterance = context.read(text)
        let cues = utterance.cues
        let bare = !utterance.namesProduct && utterance.destinationParts.isEmpty
        // A cancel, a complaint or a thank-you comes before any order in the same message:
        // "TSEL10.0812… batal", "pulsa 10rb ke 0812… belum masuk", "… sudah masuk, makasih".
        if cues.contains(.cancel) { return cancel(&turn) }
        if cues.contains(.complaint) {
            reset()
            // "saldo belum masuk": the balance, with the deposit button; anything else: the orders.
            if cues.contains(.balance), !utterance.namesProduct { return showBalance(&turn) }
            return turn.effects.append(.showHistory)
        }
        if cues.contains(.thanks), Self.reportsDelivery(text) { return thank(&turn) }
        if let order = Self.resellerOrder(in: text, knows: { context.product($0)?.sellPrice != nil }) {
            return quickBuy(code: order.code, target: order.target, repeating: order.repeating, pin: order.pin, &turn)
        }
        if cues.contains(.thanks), bare { return thank(&turn) }
        if cues.contains(.help) { return showHelp(&turn) }
        if cues.contains(.history) || (cues.contains(.transaction) && !utterance.namesProduct) {
            reset()
            return turn.effects.append(.showHistory)
        }
        if cues.contains(.price) || (cues.contains(.howMuch) && utterance.namesProduct && !cues.contains(.balance)) {
            return showPrices(for: utterance, &turn)
        }
        if cues.contains(.withdraw), utterance.bank != nil || !utterance.namesProduct { return withdraw(utterance, &turn) }
        // "… potong saldo deposit": with a whole order typed, "deposit" is how it is paid.
        let deposit = (cues.contains(.deposit) && (!utterance.namesProduct || utterance.destinationParts.isEmpty))
            || (cues.contains(.fill) && bare && utterance.unknown.isEmpty)
        if !deposit, Self.asksForBill(utterance) { return bill(utterance, &turn) }
        if deposit {
            reset()
            guard !utterance.conflicting, let amount = utterance.amount ?? utterance.bareNumber, let rupiah = Rupiah(amount) else {
                return startDeposit(amount: nil, &turn)
            }
            return offerDepositMethods(rupiah, &turn)
        }
        if cues.contains(.balance), bare, utterance.amount == nil {
            reset()
            return showBalance(&turn)
        }
        if let plnBill = Self.tokenOrBill(utterance, context) {
            return askReading(plnBill, titles: [context.text("menu.pln"), context.text("reading.plnBill")], &turn)
        }
        if let match = ProductMatch.of(utterance, in: context.products) { return purchase(match, utterance, &turn) }
        if !utterance.destinationParts.isEmpty { return loneNumber(utterance, &turn) }
        if cues.contains(.menu) { return showMenu(&turn) }
        if cues.contains(.greeting) || (utterance.words.isEmpty && Self.callsForAttention(text)) { return greet(utterance, &turn) }
        if cues.contains(.balance) {
            reset()
            return showBalance(&turn)
        }
        if let amount = utterance.amount.flatMap(Rupiah.init) { return amountAlone(amount, &turn) }
        turn.send(context.text("unknown.text"))
        showMenu(&turn)
    }

    /// Text typed where a step asked for a number or an amount that is not one: when it reads
    /// as a request of its own ("pulsa xl 25rb 0877…", "cek saldo dong"), the step is left and
    /// the request answered; otherwise `false` and the step asks again. In the steps of a deposit
    /// or a withdrawal (`purchases: false`) a product named is no new request: "dana" there is
    /// the e-wallet the money goes to.
    mutating func startsNewRequest(_ text: String, purchases: Bool = true, _ turn: inout Turn) -> Bool {
        let utterance = turn.context.read(text)
        let asking: Set<RequestCue> = [.deposit, .withdraw, .history, .balance, .price, .help, .thanks, .greeting, .menu, .complaint]
        let names = purchases && (utterance.namesProduct || utterance.mentionsBill || utterance.billBrand != nil)
        guard names || !utterance.cues.isDisjoint(with: asking) else { return false }
        reset()
        freeText(text, &turn)
        return true
    }

    /// A destination typed where one is asked for: the text itself, or the number in it when
    /// the rest is only words like "ke", "nomor" or "kak" ("ke 0812 3456 7890 ya kak").
    static func destination(in text: String, as kind: TargetKind, _ context: ConversationContext) -> Result<String, TargetError> {
        let whole = TargetValidator.validate(text, as: kind)
        guard case .failure = whole else { return whole }
        let utterance = context.read(text)
        guard !utterance.namesProduct, utterance.cues.isEmpty, utterance.unknown.isEmpty, utterance.amount == nil,
              utterance.bareNumber == nil, !utterance.conflicting, let typed = utterance.destination(for: kind), typed != text
        else { return whole }
        return TargetValidator.validate(typed, as: kind)
    }

    /// "sudah masuk", "udah masuk": the customer reports an order arrived.
    static func reportsDelivery(_ text: String) -> Bool {
        let lower = text.lowercased()
        return ["sudah masuk", "udah masuk", "sdh masuk"].contains { lower.contains($0) }
    }

    /// "min?", "kak", "gan!": a customer calling the shop, with nothing else said.
    static func callsForAttention(_ text: String) -> Bool {
        text.lowercased().split { !$0.isLetter }.contains { Lexicon.calls.contains(String($0)) }
    }

    /// `KODE.TUJUAN`, also with a comma or spaces around the dot (`XL10,0877…`, `XL10 . 0877…`),
    /// after `beli` and before a thank-you (`beli TSEL10.0812… makasih`), and `KODE TUJUAN` when
    /// the code is one the shop sells (`knows`). After a dot any code with a digit is taken (an
    /// unknown one gets the closest codes); the destination is checked next. A last dotted group
    /// of six digits after the destination is the customer's PIN (`KODE.TUJUAN.PIN`,
    /// `KODE.2.TUJUAN.PIN`, `KODE.TUJUAN.2.PIN`).
    static func resellerOrder(in text: String, knows: (String) -> Bool) -> (code: String, target: String, repeating: Bool, pin: String?)? {
        var trimmed = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        // "Rp25.000" is an amount, not the code RP25.
        if case .success = AmountParser.parse(String(trimmed)) { return nil }
        for verb in ["beli ", "order ", "isi "] where trimmed.lowercased().hasPrefix(verb) {
            trimmed = trimmed.dropFirst(verb.count).drop { $0 == " " }
            break
        }
        let code = trimmed.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard let first = code.first, first.isLetter else { return nil }
        var rest = trimmed[code.endIndex...].drop { $0 == " " }
        let separated = rest.first == "." || rest.first == ","
        if separated { rest = rest.dropFirst().drop { $0 == " " } }
        var pin: String?
        if separated, let dot = rest.lastIndex(of: "."), rest.distance(from: dot, to: rest.endIndex) == Conversation.pinLength + 1,
           rest[rest.index(after: dot)...].allSatisfy({ $0.isASCII && $0.isNumber }), rest[..<dot].filter(\.isNumber).count >= 6 {
            pin = String(rest[rest.index(after: dot)...])
            rest = rest[..<dot]
        }
        // "KODE.2.TUJUAN": a repeat counter before a phone number ("08…", "+62…") says the
        // customer means to buy again. Before any other number the digits may be its own
        // ("PLN20.1.23456789012" is meter 123456789012), so they stay part of it.
        var repeating = false
        let counter = rest.prefix { $0.isASCII && $0.isNumber }
        let afterCounter = rest.dropFirst(counter.count + 1).prefix(while: { $0 != " " })
        if separated, (1...2).contains(counter.count), rest.dropFirst(counter.count).first == ".",
           afterCounter.hasPrefix("08") || afterCounter.hasPrefix("+"), afterCounter.filter(\.isNumber).count >= 10 {
            rest = rest.dropFirst(counter.count + 1)
            repeating = true
        }
        // The destination is the words with digits in them; words after it must be only words.
        let words = rest.split(separator: " ")
        let target = words.prefix { $0.contains(where: \.isNumber) || $0.allSatisfy { "-+().".contains($0) } }
        guard let start = target.first?.first, start.isNumber || start == "+",
              words.dropFirst(target.count).allSatisfy({ !$0.contains(where: \.isNumber) }) else { return nil }
        var joined = target.joined(separator: " ")
        // "KODE.TUJUAN.2": a repeat counter after the number is not part of it.
        if let dot = joined.lastIndex(of: "."), (1...2).contains(joined.distance(from: dot, to: joined.endIndex) - 1),
           joined[joined.index(after: dot)...].allSatisfy(\.isNumber), joined[..<dot].filter(\.isNumber).count >= 10 {
            joined = String(joined[..<dot])
            repeating = true
        }
        let numberish = joined.allSatisfy { $0.isASCII && ($0.isNumber || " -+().".contains($0)) }
        if separated { guard code.contains(where: \.isNumber) || knows(String(code)) else { return nil } }
        else { guard numberish, knows(String(code)) else { return nil } }
        return (String(code), joined, repeating, pin)
    }

    /// A code that is no product: say so, with the closest codes as buttons.
    mutating func unknownCode(_ code: String, target: String?, _ turn: inout Turn) {
        let context = turn.context
        let typed = code.uppercased()
        let closest = context.products.filter { $0.isAvailable && $0.sellPrice != nil }
            .compactMap { product in EditDistance.between(typed, product.code.uppercased(), limit: 2).map { (product.code, $0) } }
            .enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.prefix(3).map(\.element.0)
        let message = context.text("quickbuy.unknownCode", ["code": HTML.excerpt(code)])
        guard !closest.isEmpty else { return turn.send(message) }
        showProducts(closest, page: 0, target: target, note: message + "\n" + context.text("quickbuy.closest"), &turn)
    }

    /// "pln 5123…" with no word for token, bill or amount: the PLN tokens or the PLN bill, asked.
    static func tokenOrBill(_ utterance: Utterance, _ context: ConversationContext) -> [Reading]? {
        guard utterance.mentionsPLN, utterance.category == nil, !utterance.mentionsBill, utterance.brand == nil,
              utterance.amount == nil, utterance.bareNumber == nil,
              let bill = context.products.first(where: { $0.category == .bill && $0.isAvailable && $0.brand.uppercased() == "PLN" })
        else { return nil }
        let tokens = context.products.filter { $0.category == .pln && $0.isAvailable && $0.sellPrice != nil }
            .sorted { ($0.sellPrice!.value, $0.code) < ($1.sellPrice!.value, $1.code) }
        guard !tokens.isEmpty else { return nil }
        let number = utterance.destination(for: .plnMeter)
        return [.products(codes: tokens.map(\.code), target: number), .bill(productCode: bill.code, number: number)]
    }

    /// An amount and nothing else: a deposit, or pulsa and e-money of that face value.
    private mutating func amountAlone(_ amount: Rupiah, _ turn: inout Turn) {
        let context = turn.context
        let products = context.products.filter {
            $0.isAvailable && $0.sellPrice != nil && ($0.category == .pulsa || $0.category == .emoney) && $0.nominal == amount.value
        }.sorted { ($0.sellPrice!.value, $0.code) < ($1.sellPrice!.value, $1.code) }
        var readings: [Reading] = [], titles: [String] = []
        if !context.depositOptions.isEmpty {
            readings.append(.deposit(amount: amount))
            titles.append(context.text("reading.deposit", ["amount": context.money(amount)]))
        }
        if !products.isEmpty {
            readings.append(.products(codes: products.map(\.code), target: nil))
            titles.append(context.text("reading.products", ["amount": context.money(amount)]))
        }
        guard !readings.isEmpty else {
            reset()
            return turn.send(context.text("search.whatFor", ["amount": context.money(amount)]), buttons: MenuItem.keyboard(context))
        }
        askReading(readings, titles: titles, &turn)
    }

    /// One short question, one button per reading.
    private mutating func askReading(_ readings: [Reading], titles: [String], _ turn: inout Turn) {
        enter(.choosingReading(readings))
        var rows = zip(readings.indices, titles).map { [button($0.1, .option($0.0))] }
        rows.append([turn.cancelButton])
        turn.send(turn.context.text("reading.ask"), buttons: rows)
    }

    /// The reading the customer chose.
    mutating func follow(_ reading: Reading, _ turn: inout Turn) {
        switch reading {
        case .products(let codes, let target):
            let validTarget = target.flatMap { typed in
                codes.first.flatMap { turn.context.product($0) }.flatMap { try? TargetValidator.validate(typed, as: $0.targetKind).get() }
            }
            showProducts(codes, page: 0, target: validTarget, &turn)
        case .bill(let code, let number):
            reset()
            startBill(code: code, number: number, &turn)
        case .deposit(let amount):
            reset()
            offerDepositMethods(amount, &turn)
        }
    }

    /// A product request matched against the catalogue.
    private mutating func purchase(_ match: ProductMatch, _ utterance: Utterance, _ turn: inout Turn) {
        reset()
        let context = turn.context
        switch match {
        case .one(let product):
            guard let typed = utterance.destination(for: product.targetKind) else { return chooseProduct(product.code, target: nil, &turn) }
            quickBuy(code: product.code, target: typed, &turn)
        case .choose(let products):
            showProducts(products.map(\.code), page: 0, target: validDestination(utterance, for: products[0], &turn), &turn)
        case .brands(let category):
            let kind = category.targetKind
            let typed = utterance.destination(for: kind)
            let target = typed.flatMap { try? TargetValidator.validate($0, as: kind).get() }
            if let typed, target == nil, case .failure(let error) = TargetValidator.validate(typed, as: kind) {
                turn.send(context.text(Self.targetErrorKey(error)))
            }
            brandPicker(category, target: target, &turn)
        case .unavailable(let nearest):
            // What was asked for may be in the catalogue and in disruption: say so, not "none".
            let everything = context.products.map { product in
                var offer = product
                offer.isAvailable = true
                return offer
            }
            var message = context.text("search.unavailable", ["request": requestSummary(utterance, context)])
            if case .one(let asked)? = ProductMatch.of(utterance, in: everything), context.product(asked.code)?.isAvailable == false {
                message += "\n" + context.text("products.disrupted", ["product": asked.name])
            }
            guard let first = nearest.first else {
                turn.send(message + "\n" + context.text("search.none"))
                return showMenu(&turn)
            }
            showProducts(nearest.map(\.code), page: 0, target: validDestination(utterance, for: first, &turn),
                         note: message + "\n" + context.text("search.nearest"), &turn)
        }
    }

    /// The typed destination when it is valid for `product`; when it is not, the reason is said
    /// and the destination will be asked for after the product is chosen.
    private func validDestination(_ utterance: Utterance, for product: ProductOffer, _ turn: inout Turn) -> String? {
        guard let typed = utterance.destination(for: product.targetKind) else { return nil }
        switch TargetValidator.validate(typed, as: product.targetKind) {
        case .success(let target): return target
        case .failure(let error):
            turn.send(turn.context.text(Self.targetErrorKey(error)))
            return nil
        }
    }

    /// What was asked for, said back: `XL Rp50.000`, `Data Telkomsel 7GB`.
    private func requestSummary(_ utterance: Utterance, _ context: ConversationContext) -> String {
        var parts: [String] = []
        if let category = utterance.category ?? (utterance.mentionsPLN ? .pln : nil) {
            parts.append(context.text(Self.categoryNameKey(category)))
        }
        if let brand = utterance.brand { parts.append(brand) }
        if let size = utterance.sizeGB {
            parts.append("\(size)GB")
        } else if let amount = utterance.amount ?? utterance.bareNumber {
            let value = utterance.amount == nil && utterance.category != .game && amount < 1_000 ? amount * 1_000 : amount
            parts.append(utterance.category == .game ? String(value) : Rupiah(value).map(context.money) ?? String(value))
        }
        return parts.joined(separator: " ")
    }

    /// A number alone: a mobile number asks pulsa or data; anything else that looks like one is
    /// refused with the reason.
    private mutating func loneNumber(_ utterance: Utterance, _ turn: inout Turn) {
        let context = turn.context
        let typed = utterance.destination(for: .phone) ?? ""
        switch PhoneNumber.parse(typed) {
        case .success(let phone):
            guard let op = phone.operator else { return brandPicker(.pulsa, target: phone.digits, &turn) }
            enter(.choosingPhoneCategory(target: phone.digits, operator: op.rawValue))
            turn.send(context.text("phone.detected", ["target": phone.digits, "operator": op.rawValue]), buttons: [
                [button(context.text("menu.pulsa") + " " + op.rawValue, .option(0)),
                 button(context.text("menu.data") + " " + op.rawValue, .option(1))],
                [turn.cancelButton],
            ])
        case .failure(let error):
            reset()
            let looksLikePhone = typed.hasPrefix("0") || typed.hasPrefix("+") || typed.hasPrefix("62") || typed.hasPrefix("8")
            turn.send(context.text(looksLikePhone ? Self.targetErrorKey(.phone(error)) : "unknown.text"))
            showMenu(&turn)
        }
    }

    /// `tagihan`, `bayar listrik`, `bpjs`, `pdam`, `air`: the bill check, as far as it was typed.
    static func asksForBill(_ utterance: Utterance) -> Bool {
        // BPJS and PDAM are only ever bills ("token air" included); "tagihan" makes anything one.
        if utterance.billBrand != nil || utterance.mentionsBill { return true }
        return utterance.mentionsPay && utterance.category != .pln && (utterance.mentionsPLN || !utterance.namesProduct)
    }

    private mutating func bill(_ utterance: Utterance, _ turn: inout Turn) {
        reset()
        let brand = utterance.billBrand ?? (utterance.mentionsPLN ? "PLN" : nil)
        let bills = turn.context.products.filter {
            $0.category == .bill && $0.isAvailable && (brand == nil || $0.brand.caseInsensitiveCompare(brand!) == .orderedSame)
        }
        guard brand != nil, let product = bills.first else { return startBill(code: nil, number: nil, &turn) }
        guard bills.count == 1 else { return showBillChoice(bills.sorted { $0.name < $1.name }, &turn) }
        startBill(code: product.code, number: utterance.destination(for: product.targetKind), &turn)
    }

    /// `tarik`, `wd ke bca`, `tarik saldo ke dana 0812…`: the bank when one was named, the account
    /// number when it was typed. "dana" straight after `tarik` means funds, not the e-wallet.
    private mutating func withdraw(_ utterance: Utterance, _ turn: inout Turn) {
        reset()
        guard let bank = utterance.bank, bank.afterConnector || bank.code != "DANA" || !utterance.destinationParts.isEmpty,
              turn.context.customer.canWithdraw, turn.context.banks.contains(where: { $0.code == bank.code }) else {
            return startWithdraw(&turn)
        }
        guard mayStartProtected(&turn) else { return }
        guard let account = utterance.destination(for: nil) else { return askAccountNumber(bank.code, &turn) }
        enterAccountNumber(account, bankCode: bank.code, &turn)
    }

    /// A price question: the prices of what it names.
    private mutating func showPrices(for utterance: Utterance, _ turn: inout Turn) {
        reset()
        guard utterance.namesProduct else { return showPrices(nil, &turn) }
        if let brand = utterance.brand, utterance.category == nil, !utterance.mentionsPLN, utterance.amount == nil {
            // "harga xl": everything the brand sells, pulsa and data alike.
            let products = turn.context.products.filter {
                $0.isAvailable && $0.sellPrice != nil && $0.brand.caseInsensitiveCompare(brand) == .orderedSame
            }
            return listPrices(products, keyword: brand, &turn)
        }
        let products: [ProductOffer]
        switch ProductMatch.of(utterance, in: turn.context.products) {
        case .one(let product): products = [product]
        case .choose(let list): products = list
        case .brands(let category):
            products = turn.context.products.filter { $0.category == category && $0.isAvailable && $0.sellPrice != nil }
        case .unavailable(let nearest): products = nearest
        case nil: products = []
        }
        listPrices(products, keyword: utterance.words.joined(separator: " "), &turn)
    }

    mutating func showHelp(_ turn: inout Turn) {
        reset()
        turn.send(turn.context.text("help.text"), buttons: [[turn.menuButton]])
    }

    /// A greeting answered in kind ("selamat malam" → "Selamat malam juga"), with the menu.
    mutating func greet(_ utterance: Utterance, _ turn: inout Turn) {
        reset()
        let context = turn.context
        let words = Set(utterance.words)
        let salam = ["assalamualaikum", "salam"].contains(where: words.contains) ? "chat.salam.islam"
            : ["pagi", "siang", "sore", "malam"].first(where: words.contains).map { "chat.salam.\($0)" } ?? "chat.salam.halo"
        turn.send(context.text("chat.greeting", [
            "salam": context.text(salam), "name": context.customer.firstName, "balance": context.money(context.customer.balance),
        ]), buttons: MenuItem.keyboard(context))
    }

    private mutating func thank(_ turn: inout Turn) {
        reset()
        turn.send(turn.context.text("chat.thanks", ["name": turn.context.customer.firstName]), buttons: [[turn.menuButton]])
    }

    static func categoryNameKey(_ category: Category) -> String { "category.\(category.rawValue)" }
}
