import Conversation

// Phrasings a second review found misread after the first fixes (most harmful first): a number
// typed in groups that swallowed what came after it, a reseller order with a complaint after it,
// a name corrected into a brand, a deposit word beside a whole order. Each comment says what that
// version did.

extension PhrasingTests {
    /// Requests the second review found misread, each with what that version did instead.
    static let adversarial2: [Phrasing] = [
        // MARK: Confirmation to a different number than typed (grouped-number rule, Utterance+Reading.swift:259-260)

        Phrasing("pulsa tsel 10rb 0812 345 6789 2 kali", .choose(["TSEL10"])),  // was: confirm TSEL10 → 081234567892. After an 11-digit number typed in groups, `grouped` (parts >= 2, 11 + 1 <= 13) adds the "2" of "2 kali" (twice) to the number, which makes a different valid 12-digit number. Kept apart, the 2 is a bare number beside 10rb, so the house rule gives a choice.
        Phrasing("token 50rb 1234 5678 901 2 kali", .choose(["PLN50"])),  // was: confirm PLN50 → 123456789012. The same rule turns an 11-digit meter into a valid 12-digit customer ID, so the token would go to another customer's meter.
        Phrasing("xl 0877 123 4567 25", .confirm("XL25", "08771234567")),  // was: choose XL5/XL10/XL25, with 0877123456725 filled in as the target. The amount 25 becomes the 12th and 13th digits, and any product picked next is confirmed to that invented number. was: confirm XL25 → 08771234567.

        // MARK: KODE.TUJUAN now accepts any words after it, so complaints and cancels become orders (FreeText.swift:124)

        Phrasing("TSEL10.081234567890 belum masuk", .history),  // was: confirm TSEL10 (a second purchase, offered to a reseller whose first one has not arrived). resellerOrder runs before the complaint cue and accepts any trailing words without digits.
        Phrasing("tsel10 081234567890 gagal kak", .history),  // was: confirm TSEL10. was: phoneCategory.
        Phrasing("PLN50.12345678901 sn nya mana", .history),  // was: confirm PLN50. The customer is asking for the token serial of the purchase already made.
        Phrasing("TSEL10.081234567890 batal", .menu),  // was: confirm TSEL10. "batal" cancels anywhere else, but not after a reseller code. "gak jadi" behaves the same way.
        Phrasing("TSEL10.081234567890.2", .confirm("TSEL10", "081234567890")),  // was: confirm TSEL10 → 0812345678902. In the H2H repeat format KODE.TUJUAN.CNT, PhoneNumber.parse drops the dot and the counter becomes a 13th digit. Refusing the order would also be acceptable; 0812345678902 is not. The same happens with "TSEL10 081234567890 2".

        // MARK: Wrong category: a name is "corrected" into a brand (Utterance+Reading.swift:101)

        Phrasing("isi 20rb ke 081234567890 buat dina", .choose(["TSEL20", "DANA20", "OVO20"])),  // was: confirm DANA20 → a Telkomsel number (an e-wallet top-up for someone who wanted pulsa). The name "dina" is one letter from "dana" and starts with the same letter; "dani" does the same. With "buat budi" the result is the choice shown here.

        // MARK: Complaints and reports still read as new orders (only belum/gagal/status/sn/… are cues)

        Phrasing("pulsa 10rb ke 081234567890 gak masuk kak", .history),  // was: confirm TSEL10. "gak masuk" and "tidak masuk" mean the same as "belum masuk", but they are not cues.
        Phrasing("pulsa 10rb ke 081234567890 salah nomor kak", .history),  // was: confirm TSEL10, to the very number the customer says was wrong.
        Phrasing("kemarin beli token 50rb 12345678901, tokennya mana?", .history),  // was: confirm PLN50 (the customer is asking where yesterday's token is).
        Phrasing("token 50rb 12345678901 masih proses?", .history),  // was: confirm PLN50.
        Phrasing("pulsa 10rb ke 081234567890 sudah masuk, makasih kak", .thanks),  // was: confirm TSEL10. A thank-you for a delivered order offers the same purchase again: .thanks counts only when `bare`.

        // MARK: Deposit instead of the purchase, or the wrong deposit amount (FreeText.swift:39, :43)

        Phrasing("pulsa tsel 10rb 081234567890 potong saldo deposit ya", .confirm("TSEL10", "081234567890")),  // was: deposit(10000). A .deposit cue anywhere beats a fully named product. "saldo deposit" is the resellers' word for the wallet that pays.
        Phrasing("depo 1jt 500", .askDeposit),  // was: deposit(1000000). Amount and bare number are `conflicting`, but the deposit branch takes `amount ?? bareNumber` and offers Rp1.000.000 for what is commonly 1,5 jt. "depo 1 juta 500" gives the same.

        // MARK: Regression: a number followed by an amount without a unit (Utterance+Reading.swift:258-260, `sofar < 13`)

        Phrasing("pulsa tsel 081234567890 10000", .confirm("TSEL10", "081234567890")),  // was: invalidTarget phoneLength. The amount is glued onto the number (12 + 5 digits), because a word with 4 or more digits continues a destination while it has fewer than 13 digits. was: confirm.
        Phrasing("pulsa 081234567890 10.000", .confirm("TSEL10", "081234567890")),  // was: invalidTarget phoneLength. was: confirm.
        Phrasing("pulsa tsel 081234567890 Rp10.000", .confirm("TSEL10", "081234567890")),  // was: invalidTarget phoneDigits. "rp10.000" has no unit suffix, so it is appended too. was: confirm.
        Phrasing("dana 081234567890 50.000", .confirm("DANA50", "081234567890")),  // was: invalidTarget phoneLength. was: confirm.
        Phrasing("token 12345678901 50.000", .confirm("PLN50", "12345678901")),  // was: invalidTarget pln (16 digits). was: confirm.

        // MARK: Regression: a bare amount before a number typed in groups (Utterance+Reading.swift:285, `startsGroups`)

        Phrasing("tsel 10 0812 3456 7890", .confirm("TSEL10", "081234567890")),  // was: invalidTarget phonePrefix. "10" is followed by a short group, so it is taken as the start of the number "10081234567890". `startsGroups` never checks that the number starts like one (0, 62, 8). was: confirm.
        Phrasing("xl 25 0877 1234 5678", .confirm("XL25", "087712345678")),  // was: invalidTarget phonePrefix. was: confirm.
        Phrasing("token 20 5123 4567 8901", .confirm("PLN20", "512345678901")),  // was: invalidTarget pln. was: confirm.

        // MARK: Regression: new cues reached through typos, or too broad

        Phrasing("deposit 50rb, bakal langsung masuk kan?", .deposit(50_000)),  // was: menu (cancelled). "bakal" (= will) is one edit from the new cue "batal". was: deposit 50000.
        Phrasing("batas minimal deposit berapa", .askDeposit),  // was: menu (cancelled). "batas" (= limit) is read as "batal". was: askDeposit.
        Phrasing("tolong cepat ya penting, pulsa tsel 10rb 081234567890", .confirm("TSEL10", "081234567890")),  // was: history. "penting" (= important) is one edit from the new complaint cue "pending". was: confirm.
        Phrasing("belum pernah deposit, mau depo 50rb", .deposit(50_000)),  // was: history. "belum" (= not yet) beats every request. "saya belum pernah beli, pulsa tsel 10rb ke 0812…" also shows history. was: deposit 50000.
        Phrasing("wd dana 081234567890", .inquireAccount("DANA", "081234567890")),  // was: withdraw (choose a bank). The new `afterWithdraw` drops "dana" even when an e-wallet number follows it; withdraw() already kept that case apart. "tarik saldo dana 0812…" behaves the same way. was: inquireAccount DANA.
        Phrasing("cek saldoku", .balance),  // was: notUnderstood. The typo limit went from 7 letters to 8 for two edits, so "saldoku" is no longer "saldo". was: balance.

        // MARK: Regression: found by the understanding fuzzer

        Phrasing("data tsel 5gb 48 ribu 081234567890", .choose(["TSELD5GB"])),  // was: confirm TSELD5GB. A package is not sold by face value, so the amount typed beside its size was dropped.
        Phrasing("kuota tsel 5gb 52rb", .choose(["TSELD5GB"])),  // the price the customer remembers: shown, not assumed.
        Phrasing("data tsel 5gb 48 081234567890", .choose(["TSELD5GB"])),  // was: confirm TSELD5GB. A bare number beside a size was dropped too (review).
        Phrasing("data tsel 5gb lima puluh 081234567890", .choose(["TSELD5GB"])),  // was: confirm TSELD5GB (review).
        Phrasing("data tsel 5gb 7 hari 081234567890", .choose(["TSELD5GB"])),  // was: confirm the 30-day package (review).
        Phrasing("pulsa pln 20rb 081234567890", .confirm("PLN20", "081234567890")),  // was: confirm TSEL20. "pulsa pln" is everyday speech for a PLN token (review).
    ]
}
