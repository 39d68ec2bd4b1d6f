package api

import (
	"container/list"
	"sync"

	"github.com/chokepoint/chokepoint/graph"
)

// Bounds of the picture cache.
const (
	pictureCacheBytes = 64 << 20 // all pictures kept
	pictureCacheItem  = 8 << 20  // a larger picture is not kept
)

// pictureCache keeps the pictures drawn, by request, for one network: a picture asked again (a
// page reloaded, a revalidation with If-None-Match) needs neither a view nor a layout. A Network
// is immutable and the store hands out a new one when the stored graph changes, so the network is
// the revision: a picture of another network empties the cache. The least recently used pictures
// go first past pictureCacheBytes. The zero value is ready for use.
type pictureCache struct {
	mu     sync.Mutex
	net    *graph.Network
	items  map[string]*list.Element // of *pictureItem, in order
	order  list.List                // most recently used first
	bytes  int
	hits   int64 // lookups answered, since the start
	misses int64 // lookups not answered
}

type pictureItem struct {
	key  string
	data []byte
}

// get returns the picture kept for key on net.
func (p *pictureCache) get(net *graph.Network, key string) ([]byte, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	el, ok := p.items[key]
	if !ok || p.net != net {
		p.misses++
		return nil, false
	}
	p.hits++
	p.order.MoveToFront(el)
	return el.Value.(*pictureItem).data, true
}

// put keeps the picture data for key on net.
func (p *pictureCache) put(net *graph.Network, key string, data []byte) {
	if len(data) > pictureCacheItem {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.net != net || p.items == nil {
		p.net, p.items, p.bytes = net, map[string]*list.Element{}, 0
		p.order.Init()
	}
	if _, ok := p.items[key]; ok {
		return
	}
	p.items[key] = p.order.PushFront(&pictureItem{key, data})
	p.bytes += len(data)
	for p.bytes > pictureCacheBytes {
		old := p.order.Remove(p.order.Back()).(*pictureItem)
		delete(p.items, old.key)
		p.bytes -= len(old.data)
	}
}

// lookups returns how many lookups found a picture and how many did not, since the start.
func (p *pictureCache) lookups() (hits, misses int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits, p.misses
}
