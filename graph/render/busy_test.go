package render

import (
	"context"
	"testing"

	"github.com/chokepoint/chokepoint/graph"
)

// TestBusy checks that a render is refused at once when MaxWaiting renders already wait.
func TestBusy(t *testing.T) {
	for range MaxWaiting {
		waiting <- struct{}{}
	}
	_, err := Render(context.Background(), []byte("digraph { a -> b }"), FormatSVG)
	for range MaxWaiting {
		<-waiting
	}
	if graph.ErrorCode(err) != graph.EUnavailable {
		t.Fatal(err)
	}
	if _, err := Render(context.Background(), []byte("digraph { a -> b }"), FormatSVG); err != nil {
		t.Fatal(err)
	}
}
