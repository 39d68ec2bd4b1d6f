package graph

import "time"

// Year bounds accepted in since, until and as_of.
const (
	MinYear = 1800
	MaxYear = 2100
)

// CheckYear returns nil when year is within MinYear..MaxYear, else an EInvalid error naming the
// field it came from: "<field> <year> is outside 1800..2100". It is the one range check of a year,
// used by the analyses, the views, the API and the CLI alike.
func CheckYear(field string, year int) error {
	if year < MinYear || year > MaxYear {
		return Errorf(EInvalid, "%s %d is outside %d..%d", field, year, MinYear, MaxYear)
	}
	return nil
}

// ThisYear returns the current calendar year: the year an analysis, scenario or view of one year
// uses when none is given.
func ThisYear() int {
	return time.Now().Year()
}
