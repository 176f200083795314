package gateway

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/protocol/ussd"
)

// Every format carries every kind of step there and back: what a Call
// sends, Read reads as the same step, and what Write answers, the Call
// reads as the same screen. One suite, every format.
func TestFormatsRoundTrip(t *testing.T) {
	caller := ussd.Request{Session: "s1", Phone: "+919811110001", Code: "*384*7#", Network: "63902"}
	want := []ussd.Request{
		{Session: "s1", Phone: "+919811110001", Code: "*384*7#", Network: "63902", Kind: ussd.Begin},
		{Session: "s1", Phone: "+919811110001", Code: "*384*7#", Network: "63902", Kind: ussd.Continue, Input: "2", Seq: 1},
		{Session: "s1", Phone: "+919811110001", Code: "*384*7#", Network: "63902", Kind: ussd.Continue, Input: "tata salt", Seq: 2},
		{Session: "s1", Phone: "+919811110001", Code: "*384*7#", Network: "63902", Kind: ussd.End},
	}
	for _, name := range Names() {
		f, _ := Lookup(name)
		t.Run(name, func(t *testing.T) {
			var got []ussd.Request
			srv := httptest.NewServer(Handler(f, func(_ context.Context, req ussd.Request) (ussd.Reply, error) {
				got = append(got, req)
				return ussd.Con("1 Shop\n2 Search"), nil
			}, nil, zerolog.Nop()))
			defer srv.Close()
			ctx := context.Background()
			call := &Call{Format: f, URL: srv.URL, Request: caller}
			for _, step := range []func() (ussd.Reply, error){
				func() (ussd.Reply, error) { return call.Dial(ctx) },
				func() (ussd.Reply, error) { return call.Press(ctx, "2") },
				func() (ussd.Reply, error) { return call.Press(ctx, "tata salt") },
			} {
				rep, err := step()
				if err != nil {
					t.Fatal(err)
				}
				if rep != ussd.Con("1 Shop\n2 Search") {
					t.Errorf("reply read back as %+v", rep)
				}
			}
			if err := call.HangUp(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("steps read back differ (-sent +read):\n%s", diff)
			}
		})
	}
}

// A callback the server refuses comes back as a StatusError with its code,
// so a caller can tell a wrong URL from a broken reply.
func TestCallRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	for _, name := range Names() {
		f, _ := Lookup(name)
		call := &Call{Format: f, URL: srv.URL, Request: ussd.Request{Session: "s", Phone: "+919811110001"}}
		_, err := call.Dial(context.Background())
		var e *StatusError
		if !errors.As(err, &e) || e.Code != http.StatusNotFound {
			t.Errorf("%s: refused dial gave %v, want a StatusError 404", name, err)
		}
	}
}

func post(t *testing.T, h http.Handler, contentType, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// Callbacks as the aggregators document them.
func TestAggregatorCallbacks(t *testing.T) {
	at, _ := Lookup("africastalking")
	hb, _ := Lookup("hubtel")
	const form = "application/x-www-form-urlencoded"
	cases := []struct {
		name     string
		f        Format
		ct, body string
		want     ussd.Request
		reply    ussd.Reply
		wantBody string
	}{
		{"at dial", at, form, "sessionId=ATUid_1&serviceCode=%2A384%2A7%23&phoneNumber=%2B254711000111&networkCode=63902&text=",
			ussd.Request{Session: "ATUid_1", Phone: "+254711000111", Code: "*384*7#", Network: "63902", Kind: ussd.Begin}, ussd.Con("Hi"), "CON Hi"},
		{"at third input", at, form, "sessionId=ATUid_1&serviceCode=%2A384%2A7%23&phoneNumber=%2B254711000111&networkCode=63902&text=1%2A2%2A3",
			ussd.Request{Session: "ATUid_1", Phone: "+254711000111", Code: "*384*7#", Network: "63902", Kind: ussd.Continue, Input: "3", Seq: 3}, ussd.Close("Bye"), "END Bye"},
		{"at end of session", at, form, "sessionId=ATUid_1&serviceCode=%2A384%2A7%23&phoneNumber=%2B254711000111&networkCode=63902&status=Incomplete&input=1&durationInMillis=30000&errorMessage=",
			ussd.Request{Session: "ATUid_1", Phone: "+254711000111", Code: "*384*7#", Network: "63902", Kind: ussd.End}, ussd.Close(""), ""},
		{"hubtel initiation", hb, "application/json", `{"Mobile":"233244000111","SessionId":"h1","ServiceCode":"714","Type":"Initiation","Message":"*714#","Operator":"mtn","Sequence":1,"ClientState":""}`,
			ussd.Request{Session: "h1", Phone: "233244000111", Code: "714", Network: "mtn", Kind: ussd.Begin}, ussd.Con("Hi"), `{"Type":"Response","Message":"Hi"}` + "\n"},
		{"hubtel response", hb, "application/json", `{"Mobile":"233244000111","SessionId":"h1","ServiceCode":"714","Type":"Response","Message":"2","Sequence":3}`,
			ussd.Request{Session: "h1", Phone: "233244000111", Code: "714", Kind: ussd.Continue, Input: "2", Seq: 2}, ussd.Close("Bye"), `{"Type":"Release","Message":"Bye"}` + "\n"},
		{"hubtel timeout", hb, "application/json", `{"Mobile":"233244000111","SessionId":"h1","ServiceCode":"714","Type":"Timeout","Message":""}`,
			ussd.Request{Session: "h1", Phone: "233244000111", Code: "714", Kind: ussd.End}, ussd.Close(""), `{"Type":"Release","Message":""}` + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got ussd.Request
			h := Handler(c.f, func(_ context.Context, req ussd.Request) (ussd.Reply, error) { got = req; return c.reply, nil }, nil, zerolog.Nop())
			w := post(t, h, c.ct, c.body)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("read (-want +got):\n%s", diff)
			}
			if w.Body.String() != c.wantBody {
				t.Errorf("answer %q, want %q", w.Body, c.wantBody)
			}
		})
	}
}

// A callback without a session or phone is refused and reaches no step;
// a step that fails ends the session with the fallback line.
func TestBadCallbacksAndFailedSteps(t *testing.T) {
	for _, name := range Names() {
		f, _ := Lookup(name)
		called := false
		h := Handler(f, func(context.Context, ussd.Request) (ussd.Reply, error) { called = true; return ussd.Reply{}, nil }, nil, zerolog.Nop())
		for _, body := range []string{"", "text=1", `{"Type":"Response"}`, "{", `{"Mobile":"1","SessionId":"x","Type":"Nonsense"}`} {
			if w := post(t, h, "application/x-www-form-urlencoded", body); w.Code != http.StatusBadRequest {
				t.Errorf("%s: %q answered %d", name, body, w.Code)
			}
		}
		if called {
			t.Errorf("%s: a bad callback reached the step", name)
		}
		failing := httptest.NewServer(Handler(f, func(context.Context, ussd.Request) (ussd.Reply, error) { return ussd.Reply{}, errors.New("agent away") },
			func(error) string { return "Please SMS 9800000000" }, zerolog.Nop()))
		call := &Call{Format: f, URL: failing.URL, Request: ussd.Request{Session: "s", Phone: "+919811110001"}}
		rep, err := call.Dial(context.Background())
		failing.Close()
		if err != nil || rep != ussd.Close("Please SMS 9800000000") {
			t.Errorf("%s: failed step answered %+v, %v", name, rep, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("africastalking", "sessionId=a&phoneNumber=1&text=1*2")
	f.Add("hubtel", `{"Mobile":"1","SessionId":"x","Type":"Response","Message":"2"}`)
	f.Fuzz(func(t *testing.T, name, body string) {
		fm, ok := Lookup(name)
		if !ok {
			return
		}
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req, err := fm.Read(r)
		if err == nil && (req.Session == "" || req.Phone == "" || req.Kind == 0) {
			t.Fatalf("read %q as %+v without an error", body, req)
		}
	})
}
