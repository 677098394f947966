/// The number of single-character edits (insert, delete, replace, swap two
/// neighbours) that turn `a` into `b`.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a.lowercased())
  let b = Array(b.lowercased())
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }

  var previousPrevious = [Int](repeating: 0, count: b.count + 1)
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
        best = min(best, previousPrevious[j - 2] + 1)
      }
      current[j] = best
    }
    (previousPrevious, previous, current) = (previous, current, previousPrevious)
  }
  return previous[b.count]
}

/// The candidate closest to `word`, when it is close enough to be a likely typo.
public func closestMatch(to word: String, among candidates: [String]) -> String? {
  // One- and two-letter names are too short for a typo to be told from another name.
  let allowed = word.count <= 2 ? 0 : word.count >= 5 ? 2 : 1
  var best: (name: String, distance: Int)?
  for candidate in candidates where candidate != word {
    let distance = editDistance(word, candidate)
    guard distance <= allowed else { continue }
    if let current = best {
      let better =
        distance < current.distance
        || (distance == current.distance && candidate < current.name)
      guard better else { continue }
    }
    best = (candidate, distance)
  }
  return best?.name
}

/// "; did you mean 'x'?" when a candidate is close, otherwise "".
func didYouMean(_ word: String, among candidates: [String]) -> String {
  guard let match = closestMatch(to: word, among: candidates) else { return "" }
  return "; did you mean '\(match)'?"
}
