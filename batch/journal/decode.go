package journal

import "github.com/qccbatch/qccbatch/batch/outcome"

// Mapping the journal's JSON keys to record fields for the fast decoder
// (jscan.go). The flags and counts of a run's records are left to
// encoding/json: they are rare.

// decodeFast decodes a journal line into r (zeroed by the caller) and
// reports whether it could; if not, r is garbage and the caller falls back
// to encoding/json. To spare an allocation per field, the strings of r share
// line's memory: they are valid only until line is overwritten, and whoever
// keeps one must copy it (ledger.apply does).
func decodeFast(line []byte, r *record) bool {
	s := jscan{b: line}
	for first := true; ; {
		key := s.member(&first)
		if key == "" {
			break
		}
		if !s.companyField(key, r) && !s.auditField(key, r) {
			s.fail()
		}
		if s.bad {
			return false
		}
	}
	return !s.bad && s.i == len(line)
}

// companyField reads the value of member key of the records about
// companies (and the header's) into r, and reports whether it knows key.
func (s *jscan) companyField(key string, r *record) bool {
	switch key {
	case "op":
		r.Op = s.str()
	case "n":
		r.Seq = s.int()
	case "at":
		r.At = s.time()
	case "version":
		r.Version = s.int()
	case "k":
		r.Key = s.str()
	case "f":
		r.Format = s.int()
	case "sk":
		r.SearchKey = s.str()
	case "order_no":
		r.OrderNo = s.str()
	case "code":
		r.Code = s.int()
	case "msg":
		r.Message = s.str()
	case "mid":
		r.MID = s.str()
	case "outcome":
		r.Outcome = outcome.Outcome(s.str())
	case "status":
		r.Status = s.str()
	case "url":
		r.URL = s.str()
	case "file":
		r.File = s.str()
	case "sha256":
		r.SHA256 = s.str()
	case "until":
		r.Until = s.time()
	case "pend":
		r.Pend = s.time()
	case "crc":
		r.CRC = s.str()
	case "s":
		if r.State == nil { // a repeated key merges, as in encoding/json
			r.State = new(snapshot)
		}
		s.snapshot(r.State)
	default:
		return false
	}
	return true
}

// auditField does the same for the members of the audit records (runs,
// resolutions, repairs) and of superseded orders.
func (s *jscan) auditField(key string, r *record) bool {
	switch key {
	case "run":
		r.Run = s.str()
	case "kind":
		r.Kind = s.str()
	case "prog":
		r.Prog = s.str()
	case "host":
		r.Host = s.str()
	case "user":
		r.User = s.str()
	case "pid":
		r.PID = s.int()
	case "input":
		r.Input = s.str()
	case "input_sha256":
		r.InputSHA = s.str()
	case "new_orders":
		r.NewOrders = s.int()
	case "exit":
		r.Exit = s.int()
	case "reason":
		r.Reason = s.str()
	case "reason_en":
		r.ReasonEn = s.str()
	case "req":
		r.Req = s.time()
	case "ordered_at":
		r.Ordered = s.time()
	case "done":
		r.Done = s.time()
	case "res":
		r.Res = s.str()
	default:
		return false
	}
	return true
}

// snapshot reads the "s" object of a snapshot record.
func (s *jscan) snapshot(p *snapshot) {
	for first := true; !s.bad; {
		key := s.member(&first)
		if key == "" {
			return
		}
		switch key {
		case "outcome":
			p.Outcome = outcome.Outcome(s.str())
		case "order_no":
			p.OrderNo = s.str()
		case "code":
			p.Code = s.int()
		case "msg":
			p.Message = s.str()
		case "mid":
			p.MID = s.str()
		case "status":
			p.Status = s.str()
		case "url":
			p.URL = s.str()
		case "file":
			p.File = s.str()
		case "sha256":
			p.SHA256 = s.str()
		case "ordered_at":
			p.OrderedAt = s.time()
		case "completed_at":
			p.CompletedAt = s.time()
		case "pend":
			p.Pend = s.time()
		case "cooldown_until":
			p.CooldownUntil = s.time()
		case "orders":
			p.Orders = s.int()
		case "intents":
			p.Intents = s.int()
		default:
			s.fail()
		}
	}
}
