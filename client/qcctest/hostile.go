package qcctest

// Rewrite changes what the server answers, to test a client against a
// broken or hostile API. The server still places, counts and serves its
// orders under their own numbers; only the answers change.
type Rewrite struct {
	// OrderNo, if set, gives the OrderNo answered to an accepted
	// CreateReport of searchKey whose own number is orderNo: another
	// company's number, say, or one with control characters.
	OrderNo func(searchKey, orderNo string) string
	// ReportURL, if set, gives the ReportUrl of an S answer for order
	// orderNo whose own address is url: "" (S without an address), a
	// plain-http link to another host, and so on.
	ReportURL func(orderNo, url string) string
}

// SetRewrite sets the answer rewrites; the zero Rewrite turns them off.
func (s *Server) SetRewrite(rw Rewrite) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rewrite = rw
}

// rewriteOrderNo returns the OrderNo to answer for order no of searchKey.
func (s *Server) rewriteOrderNo(searchKey, no string) string {
	s.mu.Lock()
	fn := s.rewrite.OrderNo
	s.mu.Unlock()
	if fn == nil {
		return no
	}
	return fn(searchKey, no)
}

// rewriteReportURL returns the ReportUrl to answer for order no.
func (s *Server) rewriteReportURL(no, url string) string {
	s.mu.Lock()
	fn := s.rewrite.ReportURL
	s.mu.Unlock()
	if fn == nil {
		return url
	}
	return fn(no, url)
}
