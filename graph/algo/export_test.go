package algo

// SetRerouteBudget sets how many nodes one search of w's reroute step expands, so that tests can
// cut those searches short (0: no reroute) and check that the steps after it still give the
// exact loss.
func (w *RemovalWorker) SetRerouteBudget(n int) { w.budget = n }
