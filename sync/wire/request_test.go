package wire

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestRequestResponse checks that NewRequest's body and signature survive a
// real HTTP round trip and that ReadResponse counts the compressed bytes and
// turns error bodies into *Error.
func TestRequestResponse(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := ReadLimited(r.Body, MaxBodyBytes)
		a, err := ParseAuth(r.Header)
		if err == nil {
			err = a.Verify("sec", r.Method, r.URL.RequestURI(), raw, now)
		}
		if err != nil {
			SetServerTime(w.Header(), now)
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(ErrorResponse{Error: Error{Code: CodeBadSignature, Message: err.Error()}})
			return
		}
		body, _ := Decode(r.Header.Get("Content-Encoding"), raw)
		var req PushRequest
		json.Unmarshal(body, &req)
		out, _ := json.Marshal(PushResponse{Acked: []Ack{{Seq: req.Records[0].Seq, Key: req.Records[0].Key}}})
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(Gzip(out))
	}))
	defer srv.Close()
	push := PushRequest{Records: []Record{{Seq: 4, Key: "order:ACDEF:4", Kind: KindOrder, Body: json.RawMessage(`{"id":"ACDEF"}`), At: now}}}

	req, sent, err := NewRequest(context.Background(), "POST", srv.URL, PathOutbox, push, "s1", "sec", now)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var got PushResponse
	n, err := ReadResponse(resp, &got)
	if err != nil || len(got.Acked) != 1 || got.Acked[0].Seq != 4 || sent == 0 || n == 0 {
		t.Fatalf("got %+v sent %d received %d err %v", got, sent, n, err)
	}

	req, _, _ = NewRequest(context.Background(), "POST", srv.URL, PathOutbox, push, "s1", "wrong", now)
	resp, err = srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadResponse(resp, &got)
	var we *Error
	if !errors.As(err, &we) || we.Code != CodeBadSignature || we.Status != 401 || we.Retryable() || we.ServerTime.Unix() != 1_700_000_000 {
		t.Fatalf("ReadResponse error = %#v", err)
	}
}

func TestParseErrorForeignBody(t *testing.T) {
	e := ParseError(http.StatusBadGateway, http.Header{}, []byte("<html>bad gateway</html>"))
	if e.Code != CodeInternal || !e.Retryable() {
		t.Fatalf("ParseError = %+v", e)
	}
	e = ParseError(http.StatusUnauthorized, http.Header{}, []byte(`{"error":{"code":"stale_timestamp","message":"x"}}`))
	if e.Code != CodeStaleTimestamp || !e.Retryable() {
		t.Fatalf("ParseError = %+v", e)
	}
}
