package v1csv_test

import (
	"time"

	"ledgerdesk/domain/ledger"
)

var time20Feb = time.Date(2025, 2, 20, 9, 0, 0, 0, ledger.London)
