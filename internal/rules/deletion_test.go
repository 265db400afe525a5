package rules

import "testing"

func TestMassDeletion(t *testing.T) {
	t.Parallel()
	runRule(t, massDeletion, []ruleCase{
		{"nothing deleted", book(100), ""},
		{"9 of 100: below InterAction's 10", remove(100, first(9)), ""},
		{"10 of 100", remove(100, first(10)), "mass-deletion/danger" + keysFirst(10)},
		{"10 of a 12-contact book", remove(12, first(10)), "mass-deletion/danger" + keysFirst(10)},
		{"49 of 1000: below 5 %", remove(1000, first(49)), ""},
		{"50 of 1000", remove(1000, first(50)), "mass-deletion/danger" + keysFirst(50)},
		{"the exact contacts, wherever they are", remove(200, []int{3, 17, 42, 99, 100, 120, 150, 160, 170, 199}),
			"mass-deletion/danger" + keys(3, 17, 42, 99, 100, 120, 150, 160, 170, 199)},
	})
}
