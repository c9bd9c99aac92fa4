package summary

// Cover is what a set of chosen sentences covers, for ranking other
// candidates (a brief's quote) by what they add to the points rather than
// by what they hold: a quote restating a point tells the reader nothing new.
type Cover struct {
	m       *Model
	covered []bool
	ids     []int
}

// NewCover returns an empty cover of the model's concepts.
func (m *Model) NewCover() *Cover {
	return &Cover{m: m, covered: make([]bool, len(m.weight))}
}

// Add covers sentence id's concepts.
func (c *Cover) Add(id int) {
	for _, k := range c.m.info[id].concepts {
		c.covered[k] = true
	}
	c.ids = append(c.ids, id)
}

// Gain is the weight of sentence id's concepts not yet covered: what it
// would add, by the measure points are chosen by.
func (c *Cover) Gain(id int) float64 {
	var g float64
	for _, k := range c.m.info[id].concepts {
		if !c.covered[k] {
			g += c.m.weight[k]
		}
	}
	return g
}

// Restates reports whether sentence id states the same fact as a sentence
// added to the cover (see sameFact).
func (c *Cover) Restates(id int) bool {
	return c.m.restates(id, c.ids) >= 0
}
