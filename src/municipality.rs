//! The 265 municipalities of Bulgaria (EKATTE codes, Cyrillic and Latin names, oblast, NUTS-3),
//! embedded from `data/municipalities.csv`, and a search that treats Cyrillic and Latin input
//! alike so that `plov` and `плов` both find Пловдив.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

const CSV: &str = include_str!("../data/municipalities.csv");

/// One municipality (община).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Municipality {
    /// EKATTE code, e.g. `SOF46` for Столична.
    pub code: String,
    pub name_bg: String,
    pub name_en: String,
    /// EKATTE oblast code, e.g. `SOF`.
    pub oblast_code: String,
    pub oblast_bg: String,
    pub oblast_en: String,
    pub nuts3: String,
}

impl Municipality {
    /// The name in `lang` (`bg` gives Cyrillic, anything else Latin).
    pub fn name(&self, lang: &str) -> &str {
        if lang == "bg" {
            &self.name_bg
        } else {
            &self.name_en
        }
    }

    pub fn oblast(&self, lang: &str) -> &str {
        if lang == "bg" {
            &self.oblast_bg
        } else {
            &self.oblast_en
        }
    }
}

/// The reference list with lookups by code and a search.
#[derive(Debug)]
pub struct Municipalities {
    all: Vec<Municipality>,
    by_code: HashMap<String, usize>,
    /// Per municipality, the Latin-folded words a query is matched against.
    keys: Vec<SearchKey>,
}

#[derive(Debug)]
struct SearchKey {
    name: String,
    oblast: String,
    alias: &'static str,
}

/// The embedded list, parsed once.
pub fn bundled() -> &'static Municipalities {
    static LIST: OnceLock<Municipalities> = OnceLock::new();
    LIST.get_or_init(|| {
        Municipalities::from_csv(CSV).unwrap_or_else(|e| {
            // The file is part of the binary and checked by tests; failing here is a build defect.
            panic!("embedded data/municipalities.csv is invalid: {e}")
        })
    })
}

impl Municipalities {
    /// Parses the reference CSV (`code,name_bg,name_en,oblast_code,oblast_bg,oblast_en,nuts3`).
    pub fn from_csv(text: &str) -> Result<Self, csv::Error> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let all = reader
            .deserialize()
            .collect::<Result<Vec<Municipality>, _>>()?;
        let by_code = all
            .iter()
            .enumerate()
            .map(|(i, m)| (m.code.clone(), i))
            .collect();
        let keys = all
            .iter()
            .map(|m| SearchKey {
                name: fold(&format!("{} {}", m.name_bg, m.name_en)),
                oblast: fold(&format!("{} {}", m.oblast_bg, m.oblast_en)),
                // People call the capital's municipality "Sofia", not "Stolichna".
                alias: if m.code == "SOF46" {
                    "sofia sofiya"
                } else {
                    ""
                },
            })
            .collect();
        Ok(Self { all, by_code, keys })
    }

    /// Every municipality, sorted by code.
    pub fn all(&self) -> &[Municipality] {
        &self.all
    }

    /// The place of `code` in [`Municipalities::all`].
    pub fn index(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    pub fn get(&self, code: &str) -> Option<&Municipality> {
        self.by_code.get(code).map(|&i| &self.all[i])
    }

    /// Municipalities matching `query` in either script, best first.
    ///
    /// Ranking: a word of the name starting with the query, then the name containing it, then
    /// the oblast's name starting with it. An empty query returns everything.
    pub fn search(&self, query: &str) -> Vec<&Municipality> {
        // No name or alias is this long; a pasted paragraph must not cost a scan of every name.
        const LONGEST_QUERY: usize = 64;
        if query.len() > LONGEST_QUERY * 4 || query.trim().chars().count() > LONGEST_QUERY {
            return Vec::new();
        }
        let query = fold(query.trim());
        if query.is_empty() {
            return self.all.iter().collect();
        }
        let mut ranked: Vec<(u8, &str, &Municipality)> = self
            .all
            .iter()
            .zip(&self.keys)
            .filter_map(|(m, key)| {
                let rank = if word_starts(&key.name, &query) || word_starts(key.alias, &query) {
                    0
                } else if key.name.contains(&query) || m.code.eq_ignore_ascii_case(&query) {
                    1
                } else if word_starts(&key.oblast, &query) {
                    2
                } else {
                    return None;
                };
                Some((rank, m.name_bg.as_str(), m))
            })
            .collect();
        ranked.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        ranked.into_iter().map(|(_, _, m)| m).collect()
    }
}

fn word_starts(haystack: &str, query: &str) -> bool {
    haystack.starts_with(query)
        || haystack
            .match_indices(query)
            .any(|(i, _)| haystack[..i].ends_with([' ', '-', '(']))
}

/// Lower-cases and transliterates Cyrillic to Latin (Bulgarian streamlined system), so that
/// both scripts meet in one form. `ъ` becomes `a` as in the official system (Лъки → Laki), and
/// a word-final `ия` becomes `ia` (Провадия → Provadia).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Composed first: a `й` typed as `и` + combining breve must meet the `й` of the list.
    let lower: Vec<char> = text.nfc().flat_map(char::to_lowercase).collect();
    let mut i = 0;
    while i < lower.len() {
        let ch = lower[i];
        i += 1;
        if ch == 'и'
            && lower.get(i) == Some(&'я')
            && !lower.get(i + 1).is_some_and(|c| c.is_alphabetic())
        {
            out.push_str("ia");
            i += 1;
            continue;
        }
        let latin = match ch {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "sht",
            'ъ' => "a",
            'ь' => "y",
            'ю' => "yu",
            'я' => "ya",
            _ => {
                out.push(ch);
                continue;
            }
        };
        out.push_str(latin);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_list_is_complete() {
        let list = bundled();
        assert_eq!(list.all().len(), 265);
        let oblasts: HashSet<_> = list.all().iter().map(|m| &m.oblast_code).collect();
        assert_eq!(oblasts.len(), 28);
        assert_eq!(list.get("SOF46").unwrap().name_bg, "Столична");
        assert_eq!(list.get("SFO45").unwrap().name_bg, "Сливница");
    }

    #[test]
    fn search_takes_decomposed_letters_as_composed() {
        let list = bundled();
        let typed = "А\u{438}\u{306}тос";
        assert_eq!(typed.chars().count(), 6, "й typed as и + combining breve");
        assert_eq!(
            list.search(typed).first().map(|m| m.code.as_str()),
            Some("BGS01")
        );
        assert_eq!(
            list.search("АЙТОС").first().map(|m| m.code.as_str()),
            Some("BGS01")
        );
    }

    #[test]
    fn search_matches_both_scripts() {
        let list = bundled();
        for query in ["plov", "плов", "Plovdiv", "ПЛОВДИВ"] {
            assert_eq!(list.search(query)[0].code, "PDV22", "{query}");
        }
        for query in ["sofia", "столична", "Stolichna", "софия"] {
            assert_eq!(list.search(query)[0].code, "SOF46", "{query}");
        }
        assert_eq!(list.search("sliven")[0].name_bg, "Сливен");
        assert!(list.search("zzzz").is_empty());
        assert!(list.search(&"пловдив ".repeat(1000)).is_empty());
        assert_eq!(list.search("").len(), 265);
    }

    #[test]
    fn folding_follows_the_official_transliteration() {
        // Every name_en in the file is the streamlined transliteration of name_bg.
        for m in bundled().all() {
            assert_eq!(fold(&m.name_bg), m.name_en.to_lowercase(), "{}", m.code);
        }
    }
}
