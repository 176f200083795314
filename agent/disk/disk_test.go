package disk

import (
	"errors"
	"testing"
)

func TestStates(t *testing.T) {
	for _, tc := range []struct {
		free uint64
		want string
	}{{500 << 20, "ok"}, {100 << 20, "low"}, {8 << 20, "full"}} {
		if got := stateOf(tc.free, Low, Full); got != tc.want {
			t.Errorf("stateOf(%d) = %s, want %s", tc.free, got, tc.want)
		}
	}
}

func TestAdmitOnARealDisk(t *testing.T) {
	w := &Watch{Dir: t.TempDir()}
	if err := w.Admit(); err != nil {
		t.Fatalf("Admit on a disk with room: %v", err)
	}
	w.Full = 1 << 62 // as if the disk were full
	w.Low = 1 << 62
	if err := w.Admit(); !errors.Is(err, ErrFull) {
		t.Fatalf("Admit on a full disk: %v, want ErrFull", err)
	}
	if st := w.Status(); st.State != "full" || st.Free == 0 {
		t.Fatalf("Status = %+v", st)
	}
}
