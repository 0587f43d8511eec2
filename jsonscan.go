package beyondidentity

// Allocation-free walks over JSON text that encoding/json has validated or
// will validate: the members of an object, the elements of an array.

// jsonMembers walks the members of the JSON object b, which must be valid
// JSON, as encoding/json hands it to an UnmarshalJSON method. Its all method
// yields the raw name (without quotes, escapes not decoded) and the raw
// value of each member, in order; complete is then true if the walk reached
// the end of the object.
type jsonMembers struct {
	b        []byte
	complete bool
}

func (m *jsonMembers) all(yield func(name, value []byte) bool) {
	b := m.b
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		m.complete = true
		return
	}
	for i < len(b) && b[i] == '"' {
		end := skipJSONString(b, i)
		if end < 0 {
			return
		}
		name := b[i+1 : end-1]
		i = skipJSONSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return
		}
		i = skipJSONSpace(b, i+1)
		vend := skipJSONValue(b, i)
		if vend < 0 {
			return
		}
		if !yield(name, b[i:vend]) {
			return
		}
		i = skipJSONSpace(b, vend)
		if i >= len(b) {
			return
		}
		switch b[i] {
		case '}':
			m.complete = true
			return
		case ',':
			i = skipJSONSpace(b, i+1)
		default:
			return
		}
	}
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipJSONString returns the index after the string that starts at b[i],
// or -1.
func skipJSONString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipJSONValue returns the index after the value that starts at b[i], or
// -1.
func skipJSONValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipJSONString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipJSONString(b, j)
				if j < 0 {
					return -1
				}
				j-- // the loop's j++ moves past the string
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default: // number, true, false, null
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' &&
			b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
			j++
		}
		return j
	}
}

// jsonElements walks the elements of the JSON array b, which must be valid
// JSON. Its all method yields the raw value of each element, in order.
// Anything but an array yields nothing.
type jsonElements struct {
	b []byte
}

func (a *jsonElements) all(yield func(value []byte) bool) {
	b := a.b
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return
	}
	for i < len(b) {
		end := skipJSONValue(b, i)
		if end < 0 || !yield(b[i:end]) {
			return
		}
		i = skipJSONSpace(b, end)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i = skipJSONSpace(b, i+1)
	}
}
