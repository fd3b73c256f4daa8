package journal

// EachOrderNo calls fn with every order number the ledger holds and the
// company it belongs to, until fn returns false: each company's current
// order and, with Options.History, the orders they replaced. fn runs with
// the journal locked: it must not call methods of j.
func (j *Journal) EachOrderNo(fn func(orderNo string, k Key) bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	more := true
	j.ledger.each(func(e *entry) bool {
		if e.orderNo != "" {
			more = fn(e.orderNo, e.key())
		}
		return more
	})
	if h := j.ledger.hist; more && h != nil {
		for _, o := range h.rows {
			if o.OrderNo != "" && !fn(o.OrderNo, o.Key) {
				return
			}
		}
	}
}
