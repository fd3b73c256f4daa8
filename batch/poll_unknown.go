package batch

import (
	"errors"
	"strconv"

	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/client"
)

// unknownOrder handles a poll answered 201 (查询无结果): the API does not
// know the order number (one mistyped in `qccbatch resolve --order-no`, say).
// Polling it again would only wait for --timeout every night: the company
// becomes uncertain with that reason, for a person to look it up and
// resolve it again. It reports whether err was such an answer.
func (r *runner) unknownOrder(it pollItem, err error) bool {
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Code != 201 {
		return false
	}
	i := it.comp
	st, _ := r.lookup(i)
	r.cfg.Progress.Pending.Add(-1)
	r.markFinal(i)
	r.record(i, r.j.AmbiguousBecause(r.key(i), msg.M(msg.UnknownOrderNo, st.OrderNo, strconv.Itoa(ae.Code), ae.Message)))
	return true
}
