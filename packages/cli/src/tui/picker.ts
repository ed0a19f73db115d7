/** A short list to choose from (/model and /session without an argument), filtered by typing. */
export interface PickerItem {
  label: string;
  value: string;
}

export interface Picker {
  title: string;
  items: PickerItem[];
  filter: string;
  index: number;
}

export function openPicker(title: string, items: PickerItem[]): Picker {
  return { title, items, filter: '', index: 0 };
}

export function pickerMatches(picker: Picker): PickerItem[] {
  const words = picker.filter.toLowerCase().split(/\s+/).filter(Boolean);
  return picker.items.filter((item) => words.every((w) => item.label.toLowerCase().includes(w)));
}

export function movePicker(picker: Picker, delta: number): Picker {
  const count = pickerMatches(picker).length;
  if (count === 0) return picker;
  return { ...picker, index: (picker.index + delta + count) % count };
}

export function filterPicker(picker: Picker, filter: string): Picker {
  return { ...picker, filter, index: 0 };
}

export function pickedItem(picker: Picker): PickerItem | undefined {
  return pickerMatches(picker)[picker.index];
}
