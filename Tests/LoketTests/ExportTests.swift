import Testing
@testable import loket

/// Issue #22: `loket export` never writes a cell a spreadsheet would run.
struct ExportTests {
    @Test("CSV cells", arguments: [
        ("Telkomsel 10.000", "Telkomsel 10.000"), ("=HYPERLINK(\"http://x\",\"klik\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\""),
        ("+62812", "'+62812"), ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
        ("\r=1", "\"'\r=1\""), ("-10500", "-10500"), ("+5", "'+5"), ("-", "'-"), ("10500", "10500"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("", ""),
    ])
    func cells(value: String, written: String) {
        #expect(CSV.field(value) == written)
    }

    @Test func aWholeFile() {
        #expect(CSV.text(["name", "amount"], [["=1+1", "-500"], ["Budi", "10500"]]) == "name,amount\n'=1+1,-500\nBudi,10500\n")
    }
}
