import CSVStream
import Indicators
import Testing
import _TestSupport

@testable import Ingest

/// A PCMD-style extract with every kind of debris, read with the project's CSV reader and the
/// record parsers together: each good row is read, and each bad row lands under exactly the
/// reason its `expected` column names.
@Suite struct RecordDebrisTests {
    static let extract = """
        REG_DATE,SEX,AGEINYRS,LSOA21,S_UNDERLYING_COD_ICD10,expected
        07/03/2023,1,78,E01006512,I219,
        15/03/2023,2,91,E01006513,F03,
        01/04/2023,F,0,E01033769,P07.3,
        20/03/2023,2,64,ZZ9999999,X42,no_fixed_abode
        20/03/2023,2,64,,X42,no_fixed_abode
        21/03/2023,1,70,W01000001,C34,outside_england
        21/03/2023,1,70,E01999999,C34,unknown_area
        21/03/2023,1,70,Liverpool,C34,malformed_area
        ,1,70,E01006512,C34,missing_date
        31/02/2023,1,70,E01006512,C34,bad_date
        2023-03-21,1,70,E01006512,C34,bad_date
        21/03/2023,9,0,E01006512,P96,indeterminate_sex
        21/03/2023,Q,70,E01006512,C34,bad_sex
        21/03/2023,1,,E01006512,C34,missing_age
        21/03/2023,1,seventy,E01006512,C34,bad_age
        21/03/2023,1,70,E01006512,heart,bad_cause
        31/02/2023,9,,ZZ9999999,heart,no_fixed_abode
        """

    /// The set-aside reason `body` throws, if it throws one.
    static func reason(_ body: () throws(RecordFieldError) -> Void) -> [SetAsideReason] {
        do {
            try body()
            return []
        } catch {
            return [error.reason]
        }
    }

    @Test func everyDebrisRowHasExactlyOneReason() throws {
        let editions = try LSOAEditions(
            lookupPath: Fixtures.projectRoot.appendingPathComponent("Data/imd2025/lsoa11_lsoa21.csv.gz").path)
        let causes = try CauseGroups.load(
            path: Fixtures.projectRoot.appendingPathComponent("Data/causes/segment-groups.csv").path)
        let format = try DateFormat("%d/%m/%Y")
        let reader = try CSVReader(string: Self.extract, name: "pcmd.csv")
        let h = reader.header
        let (date, sex, age, lsoa, cause, expected) = try (
            h.requireIndex(of: "REG_DATE"), h.requireIndex(of: "SEX"), h.requireIndex(of: "AGEINYRS"),
            h.requireIndex(of: "LSOA21"), h.requireIndex(of: "S_UNDERLYING_COD_ICD10"), h.requireIndex(of: "expected")
        )
        var tally = SetAsideTally()
        var counted = 0
        var deathsBySex = [0, 0]
        try reader.forEachRow { row in
            var problems: [SetAsideReason] = []
            if let reason = editions.setAsideReason(row[lsoa]) { problems.append(reason) }
            if format.parse(utf8: row.bytes(date)) == nil {
                problems += Self.reason { () throws(RecordFieldError) in _ = try format.parse(row[date]) }
            }
            var parsedSex: SexCode?
            problems += Self.reason { () throws(RecordFieldError) in parsedSex = try SexCode.parse(row[sex]) }
            problems += Self.reason { () throws(RecordFieldError) in
                let band = try ONSAgeLabel.band(row[age])
                #expect(band.end == band.start, "AGEINYRS is a single year (line \(row.line))")
            }
            problems += Self.reason { () throws(RecordFieldError) in _ = try causes.classify(row[cause]) }

            let reason = SetAsideReason.first(of: problems)
            #expect(reason?.rawValue ?? "" == row[expected], "line \(row.line): \(problems)")
            if let reason {
                tally.add(reason)
            } else {
                counted += 1
                if let s = parsedSex { deathsBySex[Int(s.rawValue)] += 1 }
            }
        }
        #expect(counted == 3 && deathsBySex == [1, 2])
        #expect(tally.total == 14 && tally[.noFixedAbode] == 3 && tally[.badDate] == 2)
        #expect(counted + tally.total == reader.rowsRead)
    }
}
