package norm

// MaxDistanceLen bounds the words Distance compares; longer ones are
// never near anything.
const MaxDistanceLen = 24

// Distance is the optimal string alignment distance between the ASCII
// words a and b (insert, delete, substitute, or swap two neighbours), or
// max+1 as soon as it must exceed max.
func Distance(a, b string, max int) int {
	la, lb := len(a), len(b)
	if d := la - lb; d > max || -d > max || la > MaxDistanceLen || lb > MaxDistanceLen {
		return max + 1
	}
	var buf [3][MaxDistanceLen + 1]int
	prev2, prev, cur := &buf[0], &buf[1], &buf[2]
	for j := 0; j <= lb; j++ {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// AllowedTypos is how many typos a word of n letters may carry and still
// be itself: none for short words (where one edit makes another word),
// one from four letters, two from eight.
func AllowedTypos(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}
