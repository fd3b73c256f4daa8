package qcctest

import "time"

// Stats is what the server counted, for tests, benchmarks and the sandbox's
// closing line.
type Stats struct {
	Orders       int       // orders accepted (placed), including those whose answer was lost or ambiguous
	Creates      int       // CreateReport requests, whatever their answer
	Polls        int       // GetReportInfo requests, whatever their answer
	Downloads    int       // report file requests
	APICalls     int       // Creates + Polls: what the API's request budget pays for
	Throttled    int       // API requests answered 120
	PollsPending int       // GetReportInfo answers with ReportStatus P
	LastReady    time.Time // see LastReady; zero if no report will be ready
}

// Stats returns a snapshot of the server's counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Orders: s.total, Creates: s.creates, Polls: s.polls, Downloads: s.downloads,
		APICalls: s.creates + s.polls, Throttled: s.throttled,
		PollsPending: s.pending, LastReady: s.lastReady,
	}
}

// APICalls returns the API requests received (CreateReport and
// GetReportInfo), whatever their answer.
func (s *Server) APICalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creates + s.polls
}

// PollsPending returns how many GetReportInfo answers said P: polls that
// came before the report was ready.
func (s *Server) PollsPending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// LastReady returns when the last report of the orders accepted so far
// becomes ready (S or F) on the server's clock: the latest order time plus
// generation time. Reports that stay P (处理中) are left out; the zero time
// if there are none.
func (s *Server) LastReady() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastReady
}
