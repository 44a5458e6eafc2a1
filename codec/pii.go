package codec

import (
	"fmt"
	"reflect"
)

// piiNode says where personal strings sit inside a value of one type. A nil *piiNode means
// the type holds none, so encoding it costs nothing beyond json.Marshal.
type piiNode struct {
	leaf   bool       // the value itself is a personal string
	fields []piiField // struct fields that are, or contain, personal strings
	elem   *piiNode   // slice, array or pointer element
}

type piiField struct {
	index int
	name  string
	node  *piiNode
}

// planPII walks t once, at registration, so that a misplaced tag is found when the program
// starts rather than when the first such event is written.
func planPII(t reflect.Type, tagged bool, inProgress map[reflect.Type]bool) (*piiNode, error) {
	if tagged {
		switch t.Kind() {
		case reflect.String:
			return &piiNode{leaf: true}, nil
		case reflect.Slice, reflect.Array, reflect.Pointer:
			if t.Elem().Kind() == reflect.String {
				return &piiNode{elem: &piiNode{leaf: true}}, nil
			}
		}
		return nil, fmt.Errorf("a pii tag needs a string field (or a slice, array or pointer of strings), not %s", t)
	}
	switch t.Kind() {
	case reflect.Struct:
		if inProgress[t] {
			return nil, nil // a recursive type: its pii is planned by the outer visit
		}
		inProgress[t] = true
		defer delete(inProgress, t)
		var fields []piiField
		for i := range t.NumField() {
			f := t.Field(i)
			tag, hasTag := f.Tag.Lookup("pii")
			isPII := hasTag && tag == "true"
			if !f.IsExported() {
				if isPII {
					return nil, fmt.Errorf("field %s: a pii tag on an unexported field cannot be encrypted", f.Name)
				}
				continue
			}
			n, err := planPII(f.Type, isPII, inProgress)
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", f.Name, err)
			}
			if n != nil {
				fields = append(fields, piiField{index: i, name: f.Name, node: n})
			}
		}
		if len(fields) == 0 {
			return nil, nil
		}
		return &piiNode{fields: fields}, nil
	case reflect.Slice, reflect.Array, reflect.Pointer:
		n, err := planPII(t.Elem(), false, inProgress)
		if err != nil || n == nil {
			return nil, err
		}
		return &piiNode{elem: n}, nil
	case reflect.Map:
		n, err := planPII(t.Elem(), false, inProgress)
		if err != nil {
			return nil, err
		}
		if n != nil {
			return nil, fmt.Errorf("personal data inside a map (%s) is not supported: use a slice of structs", t)
		}
	}
	return nil, nil
}

// rewrite returns a copy of v in which every personal string s at path has become f(path, s).
// Only what lies on a path to personal data is copied; everything else is shared, which is
// safe because nothing else is modified. The caller's value is never changed.
func rewrite(v reflect.Value, n *piiNode, path string, f func(path, s string) (string, error)) (reflect.Value, error) {
	if n == nil {
		return v, nil
	}
	t := v.Type()
	switch {
	case n.leaf:
		s, err := f(path, v.String())
		if err != nil {
			return reflect.Value{}, err
		}
		out := reflect.New(t).Elem()
		out.SetString(s)
		return out, nil
	case t.Kind() == reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v)
		for _, fd := range n.fields {
			p := fd.name
			if path != "" {
				p = path + "." + fd.name
			}
			nv, err := rewrite(v.Field(fd.index), fd.node, p, f)
			if err != nil {
				return reflect.Value{}, err
			}
			out.Field(fd.index).Set(nv)
		}
		return out, nil
	case t.Kind() == reflect.Pointer:
		if v.IsNil() {
			return v, nil
		}
		nv, err := rewrite(v.Elem(), n.elem, path, f)
		if err != nil {
			return reflect.Value{}, err
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(nv)
		return out, nil
	case t.Kind() == reflect.Slice:
		if v.IsNil() {
			return v, nil
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			nv, err := rewrite(v.Index(i), n.elem, path+"[]", f)
			if err != nil {
				return reflect.Value{}, err
			}
			out.Index(i).Set(nv)
		}
		return out, nil
	case t.Kind() == reflect.Array:
		out := reflect.New(t).Elem()
		out.Set(v)
		for i := range v.Len() {
			nv, err := rewrite(v.Index(i), n.elem, path+"[]", f)
			if err != nil {
				return reflect.Value{}, err
			}
			out.Index(i).Set(nv)
		}
		return out, nil
	}
	return v, nil
}
