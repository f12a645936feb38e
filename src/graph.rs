//! A directed graph's topological order or one of its cycles, found without recursion (for the
//! graphs a user's files define: CSL macros calling macros, BibTeX `@string`s and `crossref`s).

/// The nodes of a graph (`edges[v]`: the nodes `v` points to, repeats allowed) in an order where
/// each comes after every node it points to, or a cycle: its nodes, the first repeated at the
/// end. An iterative depth-first search.
pub fn callees_first(edges: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; edges.len()];
    let mut order = Vec::with_capacity(edges.len());
    for start in 0..edges.len() {
        if state[start] != NEW {
            continue;
        }
        state[start] = OPEN;
        let mut stack = vec![(start, 0usize)];
        while let Some((v, next)) = stack.last_mut() {
            let v = *v;
            if let Some(&w) = edges[v].get(*next) {
                *next += 1;
                match state[w] {
                    NEW => {
                        state[w] = OPEN;
                        stack.push((w, 0));
                    }
                    OPEN => {
                        let from = stack.iter().position(|&(u, _)| u == w).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[from..].iter().map(|&(u, _)| u).collect();
                        cycle.push(w);
                        return Err(cycle);
                    }
                    _ => {}
                }
            } else {
                state[v] = DONE;
                order.push(v);
                stack.pop();
            }
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_cycles() {
        // 0 -> 1 -> 2, 0 -> 2
        let order = callees_first(&[vec![1, 2], vec![2], vec![]]).unwrap();
        assert_eq!(order, [2, 1, 0]);
        assert_eq!(callees_first(&[vec![0]]), Err(vec![0, 0]));
        assert_eq!(
            callees_first(&[vec![1], vec![2], vec![1]]),
            Err(vec![1, 2, 1])
        );
        // a chain of a million nodes does not overflow the stack
        let n = 1_000_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        assert_eq!(callees_first(&edges).unwrap_err().len(), n + 1);
    }
}
