//! The indexed bank: a validated file with its items, scales and keys
//! looked up by position, ready for fast scoring.

use std::collections::HashMap;

use super::{
    error::{BankError, syntax_error},
    format::{BankFile, IntendedUse, ItemDef, ItemType, ResponseScale, ScaleDef, ValiditySettings},
    hash::{NOT_HASHED, content_hash_of_value},
    validate::validate,
};

/// Per-item facts needed for scoring, resolved once.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemInfo {
    /// Index of the item's scale in [`Bank::scales`], if any.
    pub scale: Option<usize>,
    pub kind: ItemType,
    /// Lowest and highest answer (Likert / check); for SJT the key range.
    pub min: i32,
    pub max: i32,
    pub reverse: bool,
    /// SJT: the key of each option, in option order.
    pub keys: Vec<i32>,
    /// Check: answers that show attention.
    pub attentive: Vec<i32>,
}

/// A validated bank, indexed for scoring.
#[derive(Debug, Clone)]
pub struct Bank {
    file: BankFile,
    file_name: String,
    hash: String,
    info: Vec<ItemInfo>,
    item_index: HashMap<String, usize>,
    scale_index: HashMap<String, usize>,
    scale_items: Vec<Vec<usize>>,
}

impl Bank {
    /// Parses and validates a bank from TOML text. `file` names the source in
    /// messages. All problems are reported together.
    pub fn parse(src: &str, file: &str) -> Result<Bank, BankError> {
        let value: toml::Value = toml::from_str(src).map_err(|e| syntax_error(file, src, &e))?;
        let parsed: BankFile = toml::from_str(src).map_err(|e| syntax_error(file, src, &e))?;
        let issues = validate(&parsed, src, &value);
        if !issues.is_empty() {
            return Err(BankError::Invalid {
                file: file.to_string(),
                issues,
            });
        }
        let hash = content_hash_of_value(&value, NOT_HASHED);
        Ok(Bank::index(parsed, file, hash))
    }

    fn index(file: BankFile, file_name: &str, hash: String) -> Bank {
        let scale_index: HashMap<String, usize> =
            file.scales.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        let rs: HashMap<&str, &ResponseScale> =
            file.response_scales.iter().map(|r| (r.id.as_str(), r)).collect();
        let mut scale_items = vec![Vec::new(); file.scales.len()];
        let mut info = Vec::with_capacity(file.items.len());
        let mut item_index = HashMap::with_capacity(file.items.len());
        for (i, it) in file.items.iter().enumerate() {
            item_index.insert(it.id.clone(), i);
            let scale = it.scale.as_ref().and_then(|s| scale_index.get(s).copied());
            if let Some(s) = scale {
                if let Some(list) = scale_items.get_mut(s) {
                    list.push(i);
                }
            }
            let keys: Vec<i32> = it.options.iter().map(|o| o.key.unwrap_or(0)).collect();
            let (min, max) = match it.kind {
                ItemType::Sjt => (
                    keys.iter().copied().min().unwrap_or(0),
                    keys.iter().copied().max().unwrap_or(0),
                ),
                _ => it
                    .response_scale
                    .as_ref()
                    .and_then(|r| rs.get(r.as_str()))
                    .map_or((0, 0), |r| (r.min, r.max)),
            };
            info.push(ItemInfo {
                scale,
                kind: it.kind,
                min,
                max,
                reverse: it.reverse.unwrap_or(false),
                keys,
                attentive: it.attentive.clone().unwrap_or_default(),
            });
        }
        Bank {
            file,
            file_name: file_name.to_string(),
            hash,
            info,
            item_index,
            scale_index,
            scale_items,
        }
    }

    pub fn id(&self) -> &str {
        &self.file.instrument.id
    }
    pub fn version(&self) -> &str {
        &self.file.instrument.version
    }
    /// Whether the bank is meant for this use.
    pub fn meant_for(&self, usage: IntendedUse) -> bool {
        self.file.instrument.intended_use.contains(&usage)
    }
    /// Whether any of its uses reports about one person.
    pub fn reports_individuals(&self) -> bool {
        self.file.instrument.intended_use.iter().any(|u| u.reports_individuals())
    }
    /// Whether its IRT parameters are demonstration values (estimated from
    /// simulated respondents, `calibration.kind = "demonstration"`).
    pub fn demonstration_parameters(&self) -> bool {
        self.file.instrument.calibration.as_ref().is_some_and(|c| c.kind == "demonstration")
    }
    /// Canonical content hash, `sha256:<hex>`.
    pub fn content_hash(&self) -> &str {
        &self.hash
    }
    pub fn file_name(&self) -> &str {
        &self.file_name
    }
    pub fn file(&self) -> &BankFile {
        &self.file
    }
    pub fn items(&self) -> &[ItemDef] {
        &self.file.items
    }
    pub fn scales(&self) -> &[ScaleDef] {
        &self.file.scales
    }
    pub fn validity(&self) -> &ValiditySettings {
        &self.file.validity
    }
    /// Index of an item by id.
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.item_index.get(id).copied()
    }
    pub fn item(&self, id: &str) -> Option<&ItemDef> {
        self.item_index(id).and_then(|i| self.file.items.get(i))
    }
    /// Resolved scoring facts of item `index`.
    pub fn item_info(&self, index: usize) -> Option<&ItemInfo> {
        self.info.get(index)
    }
    pub fn item_infos(&self) -> &[ItemInfo] {
        &self.info
    }
    pub fn scale_index(&self, id: &str) -> Option<usize> {
        self.scale_index.get(id).copied()
    }
    pub fn scale(&self, id: &str) -> Option<&ScaleDef> {
        self.scale_index(id).and_then(|i| self.file.scales.get(i))
    }
    /// Indices (into [`Bank::items`]) of the items of scale number `scale`.
    pub fn scale_item_indices(&self, scale: usize) -> &[usize] {
        self.scale_items.get(scale).map_or(&[], Vec::as_slice)
    }
    /// Items of a scale by scale id.
    pub fn items_of_scale(&self, id: &str) -> Vec<&ItemDef> {
        self.scale_index(id)
            .map(|s| {
                self.scale_item_indices(s)
                    .iter()
                    .filter_map(|i| self.file.items.get(*i))
                    .collect()
            })
            .unwrap_or_default()
    }
}
