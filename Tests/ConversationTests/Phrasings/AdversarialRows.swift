import Conversation

// Phrasings that tricked the first version of the understanding layer (found in review, most
// harmful first): typos "corrected" into amounts or brands, a slot typed twice, complaints and
// cancels read as new orders, numbers split into the wrong slots. Each comment says what that
// version did.

extension PhrasingTests {
    /// Requests that must not be misread, each with what the first version did instead.
    static let adversarial: [Phrasing] = [
        // MARK: Confirmations of a product, amount or destination the customer did not type

        Phrasing("pulsa 10rb 081234567890 cepet ya kak", .confirm("TSEL10", "081234567890")),  // was: confirm TSEL100 → 081234567890. "cepet" (= fast) is one edit from the slang key "cepek", so it is "corrected" to "100rb" and that amount overwrites the 10rb that was typed. 10× the price.
        Phrasing("token pln 20rb 12345678901 cepet ya", .confirm("PLN20", "12345678901")),  // was: confirm PLN100. Same cepet→cepek→"100rb" correction; the last amount wins.
        Phrasing("isi dana 50rb buat cewek gw 081234567890", .confirm("DANA50", "081234567890")),  // was: confirm DANA100. "cewek" (girlfriend) is one edit from "cepek", so it becomes "100rb" (so does "capek", tired).
        Phrasing("isi pulsa 081234567890 yg cepet", .choose(["TSEL5", "TSEL10", "TSEL20", "TSEL25", "TSEL50", "TSEL100"])),  // was: confirm TSEL100. No amount was typed; the typo corrector made one up ("cepet"→"100rb").
        Phrasing("pulsa tsel dua lima rb 081234567890", .confirm("TSEL25", "081234567890")),  // was: confirm TSEL5. "dua lima" (colloquial 25) is read as 2 (bareNumber) and then "lima rb" = 5.000. NumberWords.read stops at the second digit word, and the last amount wins.
        Phrasing("pulsa tsel 5 puluh ribu 081234567890", .confirm("TSEL50", "081234567890")),  // was: confirm TSEL5. A digit followed by "puluh ribu" is read as bareNumber 5. "puluh" and "ribu" are dropped as unknown words, so 5 ×1000 gives 5.000.
        Phrasing("pulsa tsel abis kak, isi 25rb 081234567890", .confirm("TSEL25", "081234567890")),  // was: confirm AXIS25 → a Telkomsel number. "abis" (= ran out) is corrected to "axis", and the later brand overwrites the "tsel" that was typed.
        Phrasing("pulsa abis, isi 10rb ke 081234567890", .confirm("TSEL10", "081234567890")),  // was: confirm AXIS10 → a Telkomsel number. The customer named no operator; "abis"→"axis" named one.
        Phrasing("pulsa 10rb ke 081234567890 buat tri", .choose(["TSEL10", "TRI10"])),  // was: confirm TRI10 → a Telkomsel number. "Tri" is a common given name ("for Tri"), read as the operator. The same happens with "untuk mentari" → ISAT10. It confirms anyway, with only a mismatch warning.
        Phrasing("pulsa tsel 10rb 081234567890, bukan xl", .confirm("TSEL10", "081234567890")),  // was: confirm XL10. Negation is ignored and the last brand word wins.
        Phrasing("isi ovo 50rb 081234567890 pakai dana", .confirm("OVO50", "081234567890")),  // was: confirm DANA50. "pakai dana" (pay with DANA) overwrites the brand the customer is buying.
        Phrasing("pulsa tsel 10rb sama 20rb 081234567890", .choose(["TSEL10", "TSEL20"])),  // was: confirm TSEL20. Two amounts were typed; the last silently wins and the first is dropped.
        Phrasing("token pdam 50rb 12345678901", .billCheck("PDAMSBY", "12345678901")),  // was: confirm PLN50 (an electricity token for a water request). asksForBill returns false because category == .pln, and ProductMatch never looks at billBrand.
        Phrasing("token air 50rb 12345678901", .billCheck("PDAMSBY", "12345678901")),  // was: confirm PLN50. Same: "air" sets billBrand PDAM, which loses to "token".
        Phrasing("pulsa 10rb ke 0812 3456 7890 1", .confirm("TSEL10", "0812345678901")),  // was: confirm TSEL10 → 081234567890 (a different, valid number). The destination stops after 10 digits (`< 10` in readNumber), and the 13th digit becomes bareNumber 1.

        // A complaint or status question that names a product and a number gets a fresh purchase confirmation.
        Phrasing("pulsa 10rb ke 081234567890 belum masuk kak", .history),  // was: confirm TSEL10 (a second purchase offered to someone whose first one has not arrived).
        Phrasing("cek status token 50rb 12345678901", .history),  // was: confirm PLN50. "status" is an unknown word and is ignored.
        Phrasing("sn token 50rb 12345678901 mana kak", .history),  // was: confirm PLN50. The customer is asking for the token number of a purchase already made.
        Phrasing("kemarin beli token 50rb 12345678901 tapi belum keluar tokennya", .history),  // was: confirm PLN50.
        Phrasing("transaksi pulsa 10rb ke 081234567890 gagal", .history),  // was: confirm TSEL10. The .transaction cue only counts when no product is named (freeText line 16).
        Phrasing("refund pulsa tsel 10rb 081234567890", .history),  // was: confirm TSEL10.
        Phrasing("batal pulsa 10rb 081234567890", .menu),  // was: confirm TSEL10. "batal" is a cancel only when it is the whole message (CommandParser.slang).
        Phrasing("gak jadi pulsa 10rb 081234567890", .menu),  // was: confirm TSEL10. "gak jadi" (never mind) is only a cancel on its own.

        // MARK: Money flows: wrong wallet, wrong deposit amount, deposit or purchase swapped

        Phrasing("tarik dana ovo 081234567890", .inquireAccount("OVO", "081234567890")),  // was: inquireAccount DANA 081234567890. "dana" (funds) takes the bank slot first and a later bank word only replaces it after "ke". The payout would go to the wrong e-wallet.
        Phrasing("deposit 1 juta 500 ribu", .deposit(1_500_000)),  // was: deposit 500000. "1 juta" then "500 ribu": the second amount overwrites the first.
        Phrasing("depo 2 juta setengah", .deposit(2_500_000)),  // was: deposit 2000000. A digit plus "juta setengah" is not combined; "setengah" is dropped.
        Phrasing("deposit 50rb cepet ya min", .deposit(50_000)),  // was: deposit 100000, a QRIS for twice the amount asked ("cepet"→"100rb").
        Phrasing("tambah saldo 100rb via dana", .deposit(100_000)),  // was: askTarget DANA100. "dana" after "via" is read as the product, so a wallet top-up becomes a DANA purchase, and the next number typed confirms it.
        Phrasing("beli token listrik 50rb pakai dana", .askTarget("PLN50")),  // was: askTarget DANA50. Brand words overwrite category .pln (fill: `category == nil || category == .pln`).
        Phrasing("token 50rb 12345678901 bayar pakai ovo", .confirm("PLN50", "12345678901")),  // was: invalidTarget phonePrefix, and the step becomes enteringTarget(OVO50). The token request became an OVO top-up waiting for a phone number.
        Phrasing("topup valorant 50rb", .question),  // was: deposit 50000. An unsold product plus an amount is "fill + bare", so the bot opens a wallet deposit. "isi google play 50rb" and "topup roblox 80rb" behave the same way.
        Phrasing("depo 100rb bayar pakai qris", .deposit(100_000)),  // was: billChoice. "bayar" makes it a bill, and the bill check runs before the deposit cue (freeText line 24 before 25). "mau bayar deposit 100rb" gives the same result.

        // MARK: A withdrawal that was not asked for

        Phrasing("saldo belum naik kak", .balance),  // was: withdraw. "naik" (= go up) is one edit from the slang "narik", so it becomes "tarik". The withdraw cue beats balance.
        Phrasing("sudah tf 100rb kak, saldo belum masuk", .balance),  // was: withdraw. "tf" is always "tarik". This is a payment notice, not a payout.
        Phrasing("saldo saya kok ditarik", .balance),  // was: withdraw ("ditarik" (= deducted) is corrected to "tarik"; "ketarik" does the same).
        Phrasing("cek tarif token listrik", .prices(["PLN20", "PLN50", "PLN100", "PLN200"])),  // was: withdraw. "tarif" (= rate, a price word) is one edit from "tarik". "tarif pulsa tsel" → withdraw too.
        Phrasing("tf pulsa 10rb ke 081234567890", .confirm("TSEL10", "081234567890")),  // was: withdraw. Withdraw beats every product (freeText line 23).
        Phrasing("tarik dana bca 1234567890", .inquireAccount("BCA", "1234567890")),  // was: invalidTarget phoneDigits. The bank is DANA (first bank word), and 1234567890 is refused as a DANA phone.
        Phrasing("wd bca 123 456 7890", .inquireAccount("BCA", "1234567890")),  // was: other (payout.invalidAccount). "123" and "456" become bareNumbers and the account is "7890".

        // MARK: Wrong bill or wrong category

        Phrasing("sudah bayar tapi saldo belum masuk", .balance),  // was: billChoice. "bayar" means paid here, and the bill check runs before balance.
        Phrasing("bukan token, tagihan listrik 512345678901", .billCheck("PLNPOST", "512345678901")),  // was: choose PLN tokens for 512345678901. Negation is ignored, "token" sets .pln, and asksForBill refuses.
        Phrasing("bayar tagihan kartu halo telkomsel 081234567890", .billChoice),  // was: choose TSEL pulsa for 081234567890. A prepaid list for a postpaid bill; "bayar tagihan" loses to the brand.
        Phrasing("pulsa listrik 50rb 12345678901", .confirm("PLN50", "12345678901")),  // was: invalidTarget phonePrefix (choose TSEL50/ISAT50). "pulsa listrik" is everyday speech for a PLN token, but the first category word wins.
        Phrasing("voucher pulsa tsel 10rb 081234567890", .confirm("TSEL10", "081234567890")),  // was: unavailable([]). "voucher" sets .game first, and "Game Telkomsel" is not sold.
        Phrasing("beli pulsa data tsel 5gb 081234567890", .confirm("TSELD5GB", "081234567890")),  // was: unavailable([]). "pulsa data" (a common phrase) keeps .pulsa, and no pulsa has a GB size.
        Phrasing("pulsa tsel 20rb 081234567890 g pake lama ya", .confirm("TSEL20", "081234567890")),  // was: unavailable([]). "g" (= gak) after the number makes the phone number a size: sizeGB = 81234, and the destination is gone.
        Phrasing("ml 12345678 86 dm", .confirm("ML86", "12345678")),  // was: choose ML* with target 12345678(86). The diamond count is glued on as a zone, and picking ML86 sends it to the wrong zone.
        Phrasing("ff 123456789 140 diamond", .confirm("FF140", "123456789")),  // was: choose FF* with target 123456789(140). Free Fire has no zone at all.

        // MARK: Silly: the request is clear, the bot misses it

        Phrasing("pulsa tsel 10rb harganya brp", .prices(["TSEL10"])),  // was: help. "harganya" is within 2 edits of the slang "caranya" and becomes "cara", which is a help cue. "datanya", "dananya" and "namanya" do the same.
        Phrasing("beli TSEL10 081234567890", .confirm("TSEL10", "081234567890")),  // was: phoneCategory. The code is an unknown word unless it starts the message; "TSEL10 ke 0812…" behaves the same way.
        Phrasing("TSEL10.081234567890 makasih kak", .confirm("TSEL10", "081234567890")),  // was: thanks. The order is ignored because resellerOrder refuses any trailing word.
        Phrasing("im3 10 085712345678", .confirm("ISAT10", "085712345678")),  // was: unknownCode([]). "im3" has a digit, so resellerOrder takes it as a product code.
        Phrasing("No. 081234567890", .phoneCategory("081234567890")),  // was: unknownCode([]). "No." (= nomor) is taken as the code of KODE.TUJUAN; "Iya, 0812…" behaves the same way.
        Phrasing("pulsa tsel 10rb,081234567890", .confirm("TSEL10", "081234567890")),  // was: invalidTarget phoneDigits. "10rb,081234567890" is one token, which becomes the destination.
        Phrasing("shopee 50rb 081234567890", .confirm("SHOPEE50", "081234567890")),  // was: choose TSEL50/DANA50/OVO50/GOPAY50/SHOPEE50. "shopee" alone is not a brand word.
    ]
}
