// Package qcctest is a fake Qichacha 基础身份报告 API for tests and for the
// qccbatch sandbox, in the manner of net/http/httptest.
//
//	srv := qcctest.New(t)                       // listening on 127.0.0.1, closed at the end of t
//	c, _ := client.New(srv.BaseURL(), srv.Key(), srv.Secret())
//
// It speaks the protocol of the API document exactly: it checks the key
// (101), the Timespan (±300 s) and the Token (115), limits the request rate
// (120), dates every answer (Date header, optionally off the client's clock:
// WithClockOffset), generates reports asynchronously (P, then S or F after a
// fixed or lognormal generation time: WithGenDist) and serves the report
// file at the ReportUrl it gives. Stats counts what a run cost: API calls,
// polls that found P, and when the last report became ready.
// Search keys script its answers (see Usage); faults are injected from a
// seed, so a run is repeatable. It counts the orders it accepted per search
// key, so a test can prove that nothing was ordered twice.
//
// It is fast enough for 100,000 orders on loopback: one mutex, no goroutine
// or timer per order; an order number encodes its order time, format and
// scripted outcome, so polls need no lookup and a restarted sandbox still
// answers for earlier orders.
package qcctest
