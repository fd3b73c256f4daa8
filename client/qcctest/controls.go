package qcctest

import (
	"maps"
	"time"
)

// SetQuota lets n more orders be accepted; after them CreateReport answers
// 112 (您的账号剩余使用量已不足或已过期). n < 0 removes the limit.
func (s *Server) SetQuota(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quota = max(n, -1)
}

// SetFatal makes every authenticated API request answer code (e.g. 103 or
// 115); 0 turns it off.
func (s *Server) SetFatal(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fatal = code
}

// SetHTTPFault makes every API request answer HTTP status (e.g. 503) with
// an HTML page and, if retryAfter > 0, a Retry-After header; the request
// is not processed. 0 turns it off.
func (s *Server) SetHTTPFault(status int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.httpFault, s.faultRetry = status, retryAfter
}

// SetOrderFault changes the order fault at run time, like WithOrderFault;
// status 0 turns it off.
func (s *Server) SetOrderFault(status int, placed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orderFault = orderFault{status: status, placed: placed}
}

// orderFault is how every CreateReport is answered when status != 0.
type orderFault struct {
	status int  // HTTP status of the HTML page
	placed bool // place and count the order before answering
}

// Orders returns how many orders the server accepted for searchKey
// (including orders whose answer was dropped).
func (s *Server) Orders(searchKey string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.orders[searchKey]
}

// OrderCounts returns a copy of the accepted orders per search key.
func (s *Server) OrderCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.orders)
}

// TotalOrders returns the number of accepted orders.
func (s *Server) TotalOrders() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Requests returns the requests received: CreateReport calls, GetReportInfo
// calls and report downloads, whatever their answer.
func (s *Server) Requests() (creates, polls, downloads int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creates, s.polls, s.downloads
}

// Throttled returns how many requests were answered with code 120.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// allow takes one token from the rate-limit bucket; s.mu must be held.
func (s *Server) allow(now time.Time) bool {
	if s.rateLimit <= 0 {
		return true
	}
	capacity := max(s.rateLimit, 1)
	if el := now.Sub(s.tokensAt); el > 0 {
		s.tokens = min(capacity, s.tokens+el.Seconds()*s.rateLimit)
		s.tokensAt = now
	}
	if s.tokens < 1 {
		return false
	}
	s.tokens--
	return true
}

// chance draws from the seeded generator; s.mu must be held.
func (s *Server) chance(p float64) bool {
	return p > 0 && s.rng.Float64() < p
}

// PlacedOrder is one order the server accepted (and would charge): a line
// of the vendor's order list.
type PlacedOrder struct {
	OrderNo   string
	SearchKey string
	Format    int       // 1 pdf, 2 word
	At        time.Time // when it was placed, on the server's clock
}

// OrderList returns every order the server accepted, oldest first: what
// Qichacha's web console would export as the order list.
func (s *Server) OrderList() []PlacedOrder {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]PlacedOrder(nil), s.placed...)
}
